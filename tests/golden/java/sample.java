/** Word statistics: the sample every language's golden test translates. */

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

class WordCounter {
    static final int MAX_WORD = 0x40; // longest word we count

    /** Counts words of at least {@code minLength} characters. */
    private final int minLength;
    private final Map<String, Integer> counts;

    public WordCounter(int minLength) {
        this.minLength = minLength;
        this.counts = new HashMap<>();
    }

    public WordCounter() {
        this(1);
    }

    public WordCounter add(String text) {
        for (String word : splitWords(text)) {
            if (word.length() < this.minLength || word.length() > MAX_WORD) {
                continue;
            }
            this.counts.put(word, this.counts.getOrDefault(word, 0) + 1);
        }
        return this;
    }

    public List<Map.Entry<String, Integer>> mostCommon(int limit) {
        List<Map.Entry<String, Integer>> ranked = new ArrayList<>(this.counts.entrySet());
        ranked.sort((a, b) -> a.getValue().equals(b.getValue())
                ? a.getKey().compareTo(b.getKey())
                : b.getValue() - a.getValue());
        return ranked.subList(0, Math.min(limit, ranked.size()));
    }

    public static List<String> splitWords(String text) {
        List<String> words = new ArrayList<>();
        String current = "";
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (Character.isLetterOrDigit(ch) || ch == '_') {
                current += Character.toLowerCase(ch);
            } else if (!current.isEmpty()) {
                words.add(current);
                current = "";
            }
            i++;
        }
        if (!current.isEmpty()) {
            words.add(current);
        }
        return words;
    }

    public static int parseLimit(String value) {
        int limit;
        try {
            limit = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a number: " + value);
        }
        return limit > 0 ? limit : 10;
    }
}
