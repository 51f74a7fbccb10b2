"""Formatted text -> plain text + entities, as Telegram computes them."""

from __future__ import annotations

import pytest

from emulator.entities import EntityParseError, detect_commands, parse


def test_html_offsets_are_utf16() -> None:
    text, entities = parse("😀 <b>Labas</b> &lt;3 <a href='https://vtc.lt'>čia</a>", "HTML")
    assert text == "😀 Labas <3 čia"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 5},
        {"type": "text_link", "offset": 12, "length": 3, "url": "https://vtc.lt"},
    ]


@pytest.mark.parametrize(
    "source",
    ["<b>x", "<b>x</i>", "a < b", "<br>", "<span>x</span>", "<div>x</div>", "<!-- c -->"],
)
def test_html_rejects_what_telegram_rejects(source: str) -> None:
    with pytest.raises(EntityParseError):
        parse(source, "HTML")


def test_html_keeps_bare_ampersands_and_pre_language() -> None:
    assert parse("Q&A", "HTML") == ("Q&A", [])
    text, entities = parse('<pre><code class="language-python">x = 1</code></pre>', "HTML")
    assert (text, entities) == (
        "x = 1",
        [{"type": "pre", "offset": 0, "length": 5, "language": "python"}],
    )


def test_markdown_v2() -> None:
    text, entities = parse("*Sveiki*, _\\*_ [vtc](https://vtc.lt)\\!", "MarkdownV2")
    assert text == "Sveiki, * vtc!"
    assert [e["type"] for e in entities] == ["bold", "italic", "text_link"]
    with pytest.raises(EntityParseError, match="reserved"):
        parse("Sveiki.", "MarkdownV2")
    with pytest.raises(EntityParseError, match="Can't find end of Bold"):
        parse("*Sveiki", "MarkdownV2")


def test_whitespace_is_trimmed_and_commands_detected() -> None:
    assert parse("  <b>x</b>  ", "HTML") == ("x", [{"type": "bold", "offset": 0, "length": 1}])
    assert detect_commands("/start@vtc_demo_bot now, then /help") == [
        {"type": "bot_command", "offset": 0, "length": 19},
        {"type": "bot_command", "offset": 30, "length": 5},
    ]
    assert detect_commands("a/b http://x/y") == []
