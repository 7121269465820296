"""Word statistics: the sample every language's golden test translates."""

import re

MAX_WORD = 0x40  # longest word we count


class WordCounter:
    """Counts words of at least ``min_length`` characters."""

    def __init__(self, min_length=1):
        self.min_length = min_length
        self.counts = {}

    def add(self, text):
        for word in split_words(text):
            if len(word) < self.min_length or len(word) > MAX_WORD:
                continue
            self.counts[word] = self.counts.get(word, 0) + 1
        return self

    def most_common(self, limit):
        ranked = sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:limit]


def split_words(text):
    words = []
    current = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isalnum() or ch == "_":
            current += ch.lower()
        elif current:
            words.append(current)
            current = ""
        i += 1
    if current:
        words.append(current)
    return words


def parse_limit(value):
    try:
        limit = int(value)
    except ValueError:
        raise ValueError("limit must be a number: " + value)
    return limit if limit > 0 else 10
