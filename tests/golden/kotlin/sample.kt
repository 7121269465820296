/** Word statistics: the sample every language's golden test translates. */

import kotlin.math.min

const val MAX_WORD = 0x40 // longest word we count

/** Counts words of at least [minLength] characters. */
class WordCounter(private val minLength: Int = 1) {
    private val counts = mutableMapOf<String, Int>()

    fun add(text: String): WordCounter {
        for (word in splitWords(text)) {
            if (word.length < this.minLength || word.length > MAX_WORD) {
                continue
            }
            this.counts[word] = this.counts.getOrDefault(word, 0) + 1
        }
        return this
    }

    fun mostCommon(limit: Int): List<Pair<String, Int>> {
        val ranked = counts.toList().sortedWith(compareBy({ -it.second }, { it.first }))
        return ranked.subList(0, min(limit, ranked.size))
    }
}

fun splitWords(text: String): List<String> {
    val words = mutableListOf<String>()
    var current = ""
    var i = 0
    while (i < text.length) {
        val ch = text[i]
        if (ch.isLetterOrDigit() || ch == '_') {
            current += ch.lowercaseChar()
        } else if (current.isNotEmpty()) {
            words.add(current)
            current = ""
        }
        i++
    }
    if (current.isNotEmpty()) {
        words.add(current)
    }
    return words
}

fun parseLimit(value: String): Int {
    val limit = try {
        value.toInt()
    } catch (e: NumberFormatException) {
        throw IllegalArgumentException("limit must be a number: $value")
    }
    return if (limit > 0) limit else 10
}
