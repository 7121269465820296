//! Word statistics: the sample every language's golden test translates.

use std::collections::HashMap;

const MAX_WORD: usize = 0x40; // longest word we count

/// Counts words of at least `min_length` characters.
pub struct WordCounter {
    min_length: usize,
    counts: HashMap<String, usize>,
}

impl WordCounter {
    pub fn new(min_length: usize) -> Self {
        WordCounter {
            min_length,
            counts: HashMap::new(),
        }
    }

    pub fn add(&mut self, text: &str) -> &mut Self {
        for word in split_words(text) {
            if word.len() < self.min_length || word.len() > MAX_WORD {
                continue;
            }
            *self.counts.entry(word).or_insert(0) += 1;
        }
        self
    }

    pub fn most_common(&self, limit: usize) -> Vec<(&String, &usize)> {
        let mut ranked: Vec<_> = self.counts.iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        ranked.into_iter().take(limit).collect()
    }
}

pub fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if ch.is_alphanumeric() || ch == '_' {
            current += &ch.to_lowercase().to_string();
        } else if !current.is_empty() {
            words.push(current);
            current = String::new();
        }
        i += 1;
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

pub fn parse_limit(value: &str) -> Result<usize, String> {
    let limit: i64 = match value.parse() {
        Ok(n) => n,
        Err(_) => return Err(format!("limit must be a number: {}", value)),
    };
    Ok(if limit > 0 { limit as usize } else { 10 })
}
