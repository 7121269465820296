/** Word statistics: the sample every language's golden test translates. */

const MAX_WORD = 0x40; // longest word we count

export class WordCounter {
  /** Counts words of at least `minLength` characters. */
  private readonly minLength: number;
  private counts: Map<string, number>;

  constructor(minLength: number = 1) {
    this.minLength = minLength;
    this.counts = new Map<string, number>();
  }

  add(text: string): WordCounter {
    for (const word of splitWords(text)) {
      if (word.length < this.minLength || word.length > MAX_WORD) {
        continue;
      }
      this.counts.set(word, (this.counts.get(word) ?? 0) + 1);
    }
    return this;
  }

  mostCommon(limit: number): [string, number][] {
    const ranked = [...this.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return ranked.slice(0, limit);
  }
}

export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/[A-Za-z0-9]/.test(ch) || ch === "_") {
      current += ch.toLowerCase();
    } else if (current) {
      words.push(current);
      current = "";
    }
    i++;
  }
  if (current) {
    words.push(current);
  }
  return words;
}

export function parseLimit(value: string): number {
  const limit = Number.parseInt(value, 10);
  if (Number.isNaN(limit)) {
    throw new Error("limit must be a number: " + value);
  }
  return limit > 0 ? limit : 10;
}
