from derive.tokens import canonical_name, number_value, string_value, subtokens


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
