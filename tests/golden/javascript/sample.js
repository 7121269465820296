/** Word statistics: the sample every language's golden test translates. */

const MAX_WORD = 0x40; // longest word we count

export class WordCounter {
  /** Counts words of at least `minLength` characters. */
  constructor(minLength = 1) {
    this.minLength = minLength;
    this.counts = new Map();
  }

  add(text) {
    for (const word of splitWords(text)) {
      if (word.length < this.minLength || word.length > MAX_WORD) {
        continue;
      }
      this.counts.set(word, (this.counts.get(word) || 0) + 1);
    }
    return this;
  }

  mostCommon(limit) {
    const ranked = [...this.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return ranked.slice(0, limit);
  }
}

export function splitWords(text) {
  const words = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (/[A-Za-z0-9_]/.test(ch)) {
      current += ch.toLowerCase();
    } else if (current) {
      words.push(current);
      current = "";
    }
  }
  if (current) {
    words.push(current);
  }
  return words;
}

export const parseLimit = (value) => {
  const limit = Number.parseInt(value, 10);
  if (Number.isNaN(limit)) {
    throw new Error(`limit must be a number: ${value}`);
  }
  return limit > 0 ? limit : 10;
};
