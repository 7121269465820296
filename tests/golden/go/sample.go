// Word statistics: the sample every language's golden test translates.
package wordstats

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

const MaxWord = 0x40 // longest word we count

// WordCounter counts words of at least minLength characters.
type WordCounter struct {
	minLength int
	counts    map[string]int
}

type entry struct {
	word  string
	count int
}

func NewWordCounter(minLength int) *WordCounter {
	return &WordCounter{minLength: minLength, counts: map[string]int{}}
}

func (c *WordCounter) Add(text string) *WordCounter {
	for _, word := range SplitWords(text) {
		if len(word) < c.minLength || len(word) > MaxWord {
			continue
		}
		c.counts[word] = c.counts[word] + 1
	}
	return c
}

func (c *WordCounter) MostCommon(limit int) []entry {
	ranked := make([]entry, 0, len(c.counts))
	for word, count := range c.counts {
		ranked = append(ranked, entry{word, count})
	}
	sort.Slice(ranked, func(i, j int) bool {
		if ranked[i].count != ranked[j].count {
			return ranked[i].count > ranked[j].count
		}
		return ranked[i].word < ranked[j].word
	})
	if limit < len(ranked) {
		return ranked[:limit]
	}
	return ranked
}

func SplitWords(text string) []string {
	words := []string{}
	current := ""
	for i := 0; i < len(text); i++ {
		ch := rune(text[i])
		if unicode.IsLetter(ch) || unicode.IsDigit(ch) || ch == '_' {
			current += strings.ToLower(string(ch))
		} else if current != "" {
			words = append(words, current)
			current = ""
		}
	}
	if current != "" {
		words = append(words, current)
	}
	return words
}

func ParseLimit(value string) (int, error) {
	limit, err := strconv.Atoi(value)
	if err != nil {
		return 0, errors.New("limit must be a number: " + value)
	}
	if limit > 0 {
		return limit, nil
	}
	return 10, nil
}
