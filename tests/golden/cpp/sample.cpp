// Word statistics: the sample every language's golden test translates.

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

constexpr std::size_t MAX_WORD = 0x40;  // longest word we count

std::vector<std::string> split_words(const std::string& text) {
    std::vector<std::string> words;
    std::string current = "";
    for (std::size_t i = 0; i < text.size(); i++) {
        char ch = text[i];
        if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_') {
            current += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        } else if (!current.empty()) {
            words.push_back(current);
            current = "";
        }
    }
    if (!current.empty()) {
        words.push_back(current);
    }
    return words;
}

/// Counts words of at least `min_length` characters.
class WordCounter {
public:
    explicit WordCounter(std::size_t min_length = 1) : min_length_(min_length) {}

    WordCounter& add(const std::string& text) {
        for (const auto& word : split_words(text)) {
            if (word.size() < this->min_length_ || word.size() > MAX_WORD) {
                continue;
            }
            this->counts_[word] = this->counts_[word] + 1;
        }
        return *this;
    }

    std::vector<std::pair<std::string, int>> most_common(std::size_t limit) const {
        std::vector<std::pair<std::string, int>> ranked(counts_.begin(), counts_.end());
        std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
            return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
        if (ranked.size() > limit) {
            ranked.resize(limit);
        }
        return ranked;
    }

private:
    std::size_t min_length_;
    std::map<std::string, int> counts_;
};

int parse_limit(const std::string& value) {
    int limit;
    try {
        limit = std::stoi(value);
    } catch (const std::invalid_argument&) {
        throw std::invalid_argument("limit must be a number: " + value);
    }
    return limit > 0 ? limit : 10;
}
