// Word statistics: the sample every language's golden test translates.

using System;
using System.Collections.Generic;
using System.Linq;

public class WordCounter
{
    public const int MaxWord = 0x40; // longest word we count

    /// <summary>Counts words of at least <c>minLength</c> characters.</summary>
    private readonly int minLength;
    private readonly Dictionary<string, int> counts;

    public WordCounter(int minLength = 1)
    {
        this.minLength = minLength;
        this.counts = new Dictionary<string, int>();
    }

    public WordCounter Add(string text)
    {
        foreach (var word in SplitWords(text))
        {
            if (word.Length < this.minLength || word.Length > MaxWord)
            {
                continue;
            }
            this.counts[word] = this.counts.GetValueOrDefault(word, 0) + 1;
        }
        return this;
    }

    public List<KeyValuePair<string, int>> MostCommon(int limit)
    {
        var ranked = this.counts.OrderBy(item => (-item.Value, item.Key)).ToList();
        return ranked.Take(limit).ToList();
    }

    public static List<string> SplitWords(string text)
    {
        var words = new List<string>();
        var current = "";
        var i = 0;
        while (i < text.Length)
        {
            var ch = text[i];
            if (char.IsLetterOrDigit(ch) || ch == '_')
            {
                current += char.ToLower(ch);
            }
            else if (current != "")
            {
                words.Add(current);
                current = "";
            }
            i++;
        }
        if (current != "")
        {
            words.Add(current);
        }
        return words;
    }

    public static int ParseLimit(string value)
    {
        int limit;
        try
        {
            limit = int.Parse(value);
        }
        catch (FormatException)
        {
            throw new ArgumentException("limit must be a number: " + value);
        }
        return limit > 0 ? limit : 10;
    }
}
