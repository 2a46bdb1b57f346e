from desk.domain.text import neutralise, one_line

HOSTILE = "a\x1b]52;c;ZXZpbA==\x07b\x1b[2Jc\x9bd\u202ee\x00f\x7fg"


def test_no_control_character_survives():
    out = neutralise(HOSTILE)
    for ch in out:
        code = ord(ch)
        assert not (code < 0x20 and ch not in "\t\n"), repr(ch)
        assert code != 0x7F and not (0x80 <= code < 0xA0)
        assert ch not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"


def test_visible_stand_ins_keep_the_text_readable():
    assert neutralise("x\x1by") == "x\u241by"
    assert neutralise("tab\there\nline") == "tab\there\nline"
    assert neutralise("[bold]not bold[/]") == "[bold]not bold[/]"
    assert neutralise("核心交换机故障") == "核心交换机故障"


def test_one_line_folds_and_truncates():
    assert one_line("a\nb\tc") == "a b c"
    assert one_line("x" * 10, 5) == "xxxx…"
    assert one_line(None) == ""
