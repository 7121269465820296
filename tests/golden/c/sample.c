/* Word statistics: the sample every language's golden test translates. */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORD 0x40 /* longest word we count */

typedef struct Entry {
    char *word;
    int count;
} Entry;

/* Counts words of at least `min_length` characters. */
typedef struct WordCounter {
    size_t min_length;
    Entry *counts;
    size_t size;
} WordCounter;

size_t split_words(const char *text, char words[][MAX_WORD + 1], size_t capacity) {
    size_t count = 0;
    char current[MAX_WORD + 1] = "";
    size_t length = 0;
    size_t i = 0;
    while (text[i] != '\0') {
        char ch = text[i];
        if (isalnum((unsigned char)ch) || ch == '_') {
            if (length < MAX_WORD) {
                current[length++] = (char)tolower((unsigned char)ch);
                current[length] = '\0';
            }
        } else if (length > 0) {
            if (count < capacity) {
                strcpy(words[count++], current);
            }
            length = 0;
            current[0] = '\0';
        }
        i += 1;
    }
    if (length > 0 && count < capacity) {
        strcpy(words[count++], current);
    }
    return count;
}

WordCounter *word_counter_new(size_t min_length) {
    WordCounter *counter = malloc(sizeof(WordCounter));
    counter->min_length = min_length;
    counter->counts = NULL;
    counter->size = 0;
    return counter;
}

static Entry *find_entry(WordCounter *counter, const char *word) {
    for (size_t i = 0; i < counter->size; i++) {
        if (strcmp(counter->counts[i].word, word) == 0) {
            return &counter->counts[i];
        }
    }
    counter->counts = realloc(counter->counts, (counter->size + 1) * sizeof(Entry));
    Entry *entry = &counter->counts[counter->size++];
    entry->word = strdup(word);
    entry->count = 0;
    return entry;
}

WordCounter *word_counter_add(WordCounter *counter, const char *text) {
    char words[256][MAX_WORD + 1];
    size_t n = split_words(text, words, 256);
    for (size_t i = 0; i < n; i++) {
        size_t length = strlen(words[i]);
        if (length < counter->min_length || length > MAX_WORD) {
            continue;
        }
        find_entry(counter, words[i])->count += 1;
    }
    return counter;
}

static int compare_entries(const void *a, const void *b) {
    const Entry *x = a;
    const Entry *y = b;
    if (x->count != y->count) {
        return y->count - x->count;
    }
    return strcmp(x->word, y->word);
}

size_t word_counter_most_common(WordCounter *counter, size_t limit, Entry **ranked) {
    qsort(counter->counts, counter->size, sizeof(Entry), compare_entries);
    *ranked = counter->counts;
    return limit < counter->size ? limit : counter->size;
}

int parse_limit(const char *value) {
    char *end;
    errno = 0;
    long limit = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0') {
        fprintf(stderr, "limit must be a number: %s\n", value);
        exit(EXIT_FAILURE);
    }
    return limit > 0 ? (int)limit : 10;
}
