# Word statistics: the sample every language's golden test translates.

use strict;
use warnings;

my $MAX_WORD = 0x40;    # longest word we count

# Counts words of at least min_length characters.
package WordCounter {
    sub new {
        my ($class, $min_length) = @_;
        my $self = bless {}, $class;
        $self->{min_length} = $min_length // 1;
        $self->{counts} = {};
        return $self;
    }

    sub add {
        my ($self, $text) = @_;
        for my $word (main::split_words($text)) {
            next if length($word) < $self->{min_length} || length($word) > $MAX_WORD;
            $self->{counts}{$word}++;
        }
        return $self;
    }

    sub most_common {
        my ($self, $limit) = @_;
        my $counts = $self->{counts};
        my @ranked = sort { $b->[1] <=> $a->[1] || $a->[0] cmp $b->[0] }
            map { [$_, $counts->{$_}] } keys %$counts;
        return @ranked > $limit ? @ranked[0 .. $limit - 1] : @ranked;
    }
}

sub split_words {
    my ($text) = @_;
    my @words;
    my $current = "";
    my $i = 0;
    while ($i < length($text)) {
        my $ch = substr($text, $i, 1);
        if ($ch =~ /^[[:alnum:]]$/ || $ch eq "_") {
            $current .= lc($ch);
        }
        elsif ($current ne "") {
            push @words, $current;
            $current = "";
        }
        $i++;
    }
    if ($current ne "") {
        push @words, $current;
    }
    return @words;
}

sub parse_limit {
    my ($value) = @_;
    die "limit must be a number: " . $value . "\n"
        unless $value =~ /^\s*[-+]?\d+\s*$/;
    my $limit = int($value);
    return $limit > 0 ? $limit : 10;
}

1;
