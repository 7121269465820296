# Word statistics: the sample every language's golden test translates.

MAX_WORD = 0x40 # longest word we count

# Counts words of at least +min_length+ characters.
class WordCounter
  def initialize(min_length = 1)
    @min_length = min_length
    @counts = {}
  end

  def add(text)
    split_words(text).each do |word|
      next if word.length < @min_length || word.length > MAX_WORD

      @counts[word] = @counts.fetch(word, 0) + 1
    end
    self
  end

  def most_common(limit)
    ranked = @counts.sort_by { |item| [-item[1], item[0]] }
    ranked[0...limit]
  end
end

def split_words(text)
  words = []
  current = ""
  i = 0
  while i < text.length
    ch = text[i]
    if ch.match?(/[[:alnum:]]/) || ch == "_"
      current += ch.downcase
    elsif !current.empty?
      words.push(current)
      current = ""
    end
    i += 1
  end
  words.push(current) unless current.empty?
  words
end

def parse_limit(value)
  begin
    limit = Integer(value)
  rescue ArgumentError
    raise ArgumentError, "limit must be a number: " + value
  end
  limit > 0 ? limit : 10
end
