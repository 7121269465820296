import pytest

from derive.fingerprint import fingerprint
from derive.model import SourceFile
from derive.normalize import normalize
from derive.parse import parse
from derive.tokens import canonical_name, number_value, regex_values, string_value, subtokens
from derive.units import extract_units


def test_subtokens_split_every_case_style():
    assert subtokens("parseHTTPResponse_fast") == ["parse", "http", "response", "fast"]
    assert canonical_name("blk_indent") == canonical_name("blkIndent") == "blkindent"


def test_number_spellings():
    assert number_value("0x10") == number_value("16") == number_value("16L") == "16"
    assert number_value("1_000") == "1000" and number_value("1e3") == "1000"
    assert number_value("0.5f") == "0.5" and number_value("nonsense") is None


def test_string_quotes_and_placeholders():
    assert string_value("'a  b'") == string_value('"a b"') == "a b"
    assert string_value("f\"Invalid: {text}\"") == string_value("`Invalid: ${text}`") == "Invalid: {}"
    assert string_value("'%s items'") == "{} items"


@pytest.mark.parametrize(("literal", "values"), [
    ("/---/g", ["---"]),  # JavaScript, Ruby
    ("s/---/&#8212;/g", ["---", "&#8212;"]),  # Perl substitution: pattern and replacement
    ("s{--} {&#8211;}gx", ["--", "&#8211;"]),  # ... with bracket delimiters
    ("m/^\\s+(\\w)/i", ["^\\s+(\\w)"]),
    ("qr/a+b/", ["a+b"]),
    ("tr/a-z/A-Z/", ["a-z", "A-Z"]),
    ("/foo\\/bar/", ["foo/bar"]),  # an escaped delimiter is the character itself
    ("%r{a/b}i", ["a/b"]),  # Ruby
    ("#/a\\/b/#", ["a/b"]),  # Swift extended delimiters
    ("s#a#b#", ["a", "b"]),
    ("m{a{2}b}", ["a{}b"]),  # nested brackets; quantifiers read like placeholders, as in strings
    ("s/a//", ["a"]),
])
def test_regex_literals_read_as_the_strings_other_languages_write(literal, values):
    assert regex_values(literal) == values


def test_a_perl_substitution_and_a_python_re_sub_share_their_strings():
    def strings(path: str, language: str, code: str) -> frozenset[str]:
        tree = normalize(parse(SourceFile(path, language, code, "")))
        (unit,) = [u for u in extract_units(tree) if u.kind == "function"]
        return fingerprint(unit).channels["strings"]

    perl = strings("t.pm", "perl", "sub dashes { my $t = shift; $t =~ s/---/&#8212;/g; return $t; }")
    python = strings("t.py", "python", "def dashes(t):\n    return re.sub(r'---', '&#8212;', t)\n")
    assert perl == python == {"---", "&#8212;"}
