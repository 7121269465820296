"""Named constants: a function's literals include those of the constants it reads."""

from __future__ import annotations

from derive.constants import MAX_CONSTANT_LITERALS
from derive.fingerprint import fingerprint
from derive.model import SourceFile
from derive.normalize import normalize
from derive.parse import parse
from derive.units import callback_composites, extract_units


def _units(code: str, path: str, language: str):
    return extract_units(normalize(parse(SourceFile(path, language, code, ""))))


def _read(code: str, path: str, language: str) -> dict[str, list[str]]:
    return {u.name: [n.text for n in u.constants] for u in _units(code, path, language)
            if u.kind == "function"}


def test_a_method_reads_the_pattern_table_of_its_class():
    # sacremoses keeps the Moses substitutions in class attributes its methods apply
    code = '''
import re
SPACES = re.compile(r"\\s+")
class Tokenizer:
    PAD_NOT_ISALNUM = r"([^\\w\\s\\.])", r" \\1 "
    COMMA_SEPARATE = [(r"([^\\d]),", r"\\1 , "), (r",([^\\d])", r" , \\1")]
    def tokenize(self, text):
        regexp, substitution = self.PAD_NOT_ISALNUM
        text = re.sub(regexp, substitution, text)
        for regexp, substitution in self.COMMA_SEPARATE:
            text = re.sub(regexp, substitution, text)
        return SPACES.sub(" ", text)
'''
    read = _read(code, "tokenize.py", "python")["Tokenizer.tokenize"]
    assert read == ['r"([^\\d]),"', 'r"\\1 , "', 'r",([^\\d])"', 'r" , \\1"',
                    'r"([^\\w\\s\\.])"', 'r" \\1 "', 'r"\\s+"']
    unit = next(u for u in _units(code, "tokenize.py", "python") if u.name == "Tokenizer.tokenize")
    assert {"([^\\w\\s\\.])", "\\1", "\\s+"} <= fingerprint(unit).channels["strings"]


def test_constants_are_read_by_bare_name_or_as_a_member_of_a_named_object():
    code = """
const WORD = /[a-z]+/g;
class Counter {
  static UNIT = "words";
  count(text) { return text.match(WORD).length + " " + Counter.UNIT; }
}
"""
    assert _read(code, "count.js", "javascript") == {"Counter.count": ['"words"', "/[a-z]+/g"]}


def test_a_name_the_function_binds_or_another_objects_member_is_no_constant():
    code = """
const LIMIT = 10;
const label = "total";
function clip(items, LIMIT) { return items.slice(0, LIMIT); }
function show(row) { return row.label + ":" + row.value; }
function cap(items) { return items.slice(0, LIMIT); }
"""
    assert _read(code, "clip.js", "javascript") == {"clip": [], "show": [], "cap": ["10"]}


def test_tables_code_and_reassigned_names_are_no_constants():
    table = ", ".join(f'"entity{i}"' for i in range(MAX_CONSTANT_LITERALS + 1))
    code = f"""
ENTITIES = [{table}]
HANDLER = lambda text: text.strip()
MODE = "strict"
MODE = "lenient"
def decode(text):
    return HANDLER(text) if text in ENTITIES and MODE else text
"""
    assert _read(code, "decode.py", "python")["decode"] == []


def test_a_nested_unit_reads_its_own_constants():
    code = '''
QUOTE = '"'
SEPARATOR = ","
def parse(text):
    def field(start):
        end = start
        while end < len(text) and text[end] != QUOTE:
            end += 1
        if end == len(text):
            raise ValueError("unterminated field")
        return text[start:end], end + 1
    return field(0) if text.startswith(QUOTE) else text.split(SEPARATOR)
'''
    read = _read(code, "csv.py", "python")
    assert read["parse"] == ["'\"'", '","']
    if "parse.field" in read:  # stands alone when large enough (units.is_nested_unit)
        assert read["parse.field"] == ["'\"'"]


def test_a_composite_reads_the_constants_of_its_callbacks():
    code = """
import re
AMPERSAND = "&amp;"
LINK = re.compile(r"\\[(\\w+)\\]")
class Markdown:
    def links(self, text):
        return LINK.sub(self._link, text)
    def _link(self, match):
        return "<a href=" + match.group(1).replace("&", AMPERSAND) + ">"
"""
    composite, = callback_composites(_units(code, "md.py", "python"))
    assert [n.text for n in composite.constants] == ['r"\\[(\\w+)\\]"', '"&amp;"']
