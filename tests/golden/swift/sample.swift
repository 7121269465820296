// Word statistics: the sample every language's golden test translates.

import Foundation

let maxWord = 0x40 // longest word we count

/// Counts words of at least `minLength` characters.
class WordCounter {
    let minLength: Int
    var counts: [String: Int]

    init(minLength: Int = 1) {
        self.minLength = minLength
        self.counts = [:]
    }

    func add(_ text: String) -> WordCounter {
        for word in splitWords(text) {
            if (word.count < self.minLength) || (word.count > maxWord) {
                continue
            }
            self.counts[word] = (self.counts[word] ?? 0) + 1
        }
        return self
    }

    func mostCommon(_ limit: Int) -> [(String, Int)] {
        let ranked = self.counts.sorted { a, b in
            a.value != b.value ? a.value > b.value : a.key < b.key
        }
        return Array(ranked.prefix(limit)).map { ($0.key, $0.value) }
    }
}

func splitWords(_ text: String) -> [String] {
    var words: [String] = []
    var current = ""
    let chars = Array(text)
    var i = 0
    while i < chars.count {
        let ch = chars[i]
        if ch.isLetter || ch.isNumber || ch == "_" {
            current += ch.lowercased()
        } else if !current.isEmpty {
            words.append(current)
            current = ""
        }
        i += 1
    }
    if !current.isEmpty {
        words.append(current)
    }
    return words
}

enum LimitError: Error {
    case notANumber(String)
}

func parseLimit(_ value: String) throws -> Int {
    guard let limit = Int(value) else {
        throw LimitError.notANumber("limit must be a number: \(value)")
    }
    return limit > 0 ? limit : 10
}
