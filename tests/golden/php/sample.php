<?php

/** Word statistics: the sample every language's golden test translates. */

const MAX_WORD = 0x40; // longest word we count

/** Counts words of at least `$minLength` characters. */
class WordCounter
{
    private int $minLength;
    private array $counts;

    public function __construct(int $minLength = 1)
    {
        $this->minLength = $minLength;
        $this->counts = [];
    }

    public function add(string $text): static
    {
        foreach (splitWords($text) as $word) {
            if (strlen($word) < $this->minLength || strlen($word) > MAX_WORD) {
                continue;
            }
            $this->counts[$word] = ($this->counts[$word] ?? 0) + 1;
        }
        return $this;
    }

    public function mostCommon(int $limit): array
    {
        $ranked = array_map(null, array_keys($this->counts), $this->counts);
        usort($ranked, fn ($a, $b) => [-$a[1], $a[0]] <=> [-$b[1], $b[0]]);
        return array_slice($ranked, 0, $limit);
    }
}

function splitWords(string $text): array
{
    $words = [];
    $current = "";
    $i = 0;
    while ($i < strlen($text)) {
        $ch = $text[$i];
        if (ctype_alnum($ch) || $ch === "_") {
            $current .= strtolower($ch);
        } elseif ($current !== "") {
            $words[] = $current;
            $current = "";
        }
        $i++;
    }
    if ($current !== "") {
        $words[] = $current;
    }
    return $words;
}

function parseLimit(string $value): int
{
    $limit = filter_var($value, FILTER_VALIDATE_INT);
    if ($limit === false) {
        throw new InvalidArgumentException("limit must be a number: " . $value);
    }
    return $limit > 0 ? $limit : 10;
}
