"""Checks an announcement written in Telegram's HTML before it goes to thousands.

Telegram rejects a whole message whose HTML it cannot parse ("can't parse
entities"), so a broken tag found while sending would fail every recipient.
Telegram's rules (Bot API, "HTML style"): only a few tags, properly nested;
``<``, ``>`` and ``&`` outside tags written as entities; only the named
entities ``&lt; &gt; &amp; &quot;`` (numeric ones are fine). Text over 4,096
characters (1,024 for a photo's or document's caption) is refused as well,
counted as Telegram counts them: in UTF-16 code units, so an emoji outside
the Basic Multilingual Plane counts two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

# Telegram's limits, telegram.constants.MessageLimit.MAX_TEXT_LENGTH and
# .CAPTION_LENGTH: declared once here because services import no Telegram
# library (tests/test_telegram_limits.py checks they agree with PTB's).
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024


def utf16_length(text: str) -> int:
    """How long Telegram says a text is: UTF-16 code units, not code points."""
    return len(text.encode("utf-16-le")) // 2


# Tag -> attributes it may carry.
_ALLOWED: dict[str, frozenset[str]] = {
    "b": frozenset(),
    "strong": frozenset(),
    "i": frozenset(),
    "em": frozenset(),
    "u": frozenset(),
    "ins": frozenset(),
    "s": frozenset(),
    "strike": frozenset(),
    "del": frozenset(),
    "span": frozenset({"class"}),
    "tg-spoiler": frozenset(),
    "a": frozenset({"href"}),
    "tg-emoji": frozenset({"emoji-id"}),
    "code": frozenset({"class"}),
    "pre": frozenset(),
    "blockquote": frozenset({"expandable"}),
}
_ENTITIES = frozenset({"lt", "gt", "amp", "quot"})
_STRAY = re.compile(r"[<>&]")
# An "&" that starts nothing shaped like an entity ("AT&T", "?a=1&b=2"), and
# a ">" outside a tag: both can only mean the character itself. ("&nbsp;" is
# shaped like one: `check` reports it rather than showing it as text.)
_LONE_AMP = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9]*|#\d+|#x[0-9a-fA-F]+);)")
_TAG_OR_GT = re.compile(r"<[^<>]*>|>")
_QUOTED = re.compile(r"""\s[\w-]+\s*=\s*(?:"[^"]*"|'[^']*')""")
_ASSIGNED = re.compile(r"\s[\w-]+\s*=")


def escape_stray(text: str) -> str:
    """Write a lone "&" and a ">" outside tags as entities, as Telegram wants:
    nobody means anything else by them. A lone "<" is left to `check`: it may
    be a tag typed wrongly."""
    text = _LONE_AMP.sub("&amp;", text)
    return _TAG_OR_GT.sub(lambda m: "&gt;" if m.group() == ">" else m.group(), text)


@dataclass(frozen=True)
class Problem:
    """What is wrong, for the author: a kind and the piece of text concerned."""

    kind: str  # unknown_tag | bad_attribute | unclosed | unexpected_close | bad_entity
    #            | stray_symbol | too_long | empty
    detail: str = ""
    limit: int = 0


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.problems: list[Problem] = []
        self.visible: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = _ALLOWED.get(tag)
        if allowed is None:
            self.problems.append(Problem("unknown_tag", f"<{tag}>"))
            return
        given = dict(attrs)
        for name, _value in attrs:
            if name not in allowed:
                self.problems.append(Problem("bad_attribute", f"<{tag} {name}>"))
        raw = self.get_starttag_text() or ""
        if len(_ASSIGNED.findall(raw)) != len(_QUOTED.findall(raw)):
            # Telegram wants attribute values in quotes.
            self.problems.append(Problem("bad_attribute", raw[:40]))
        if tag == "span" and given.get("class") != "tg-spoiler":
            self.problems.append(Problem("bad_attribute", raw[:40] or "<span>"))
        if tag == "a" and not given.get("href"):
            self.problems.append(Problem("bad_attribute", "<a>"))
        if tag == "tg-emoji" and not (given.get("emoji-id") or "").isdigit():
            self.problems.append(Problem("bad_attribute", raw[:40] or "<tg-emoji>"))
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # "<br/>" and the like: Telegram has no empty tags.
        self.problems.append(Problem("unknown_tag", f"<{tag}/>"))

    def handle_endtag(self, tag: str) -> None:
        if tag not in _ALLOWED:
            self.problems.append(Problem("unknown_tag", f"</{tag}>"))
            return
        if not self.open or self.open[-1] != tag:
            self.problems.append(Problem("unexpected_close", f"</{tag}>"))
            if tag in self.open:
                # Recover as a browser would, so one mistake is reported once.
                while self.open and self.open.pop() != tag:
                    pass
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        stray = _STRAY.search(data)
        if stray:
            self.problems.append(Problem("stray_symbol", stray.group()))
        self.visible.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in _ENTITIES:
            self.problems.append(Problem("bad_entity", f"&{name};"))
        self.visible.append(unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.visible.append(unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        self.problems.append(Problem("unknown_tag", "<!--"))

    def handle_decl(self, decl: str) -> None:
        self.problems.append(Problem("unknown_tag", f"<!{decl}>"))

    def handle_pi(self, data: str) -> None:
        self.problems.append(Problem("unknown_tag", f"<?{data}>"))

    def unknown_decl(self, data: str) -> None:
        self.problems.append(Problem("unknown_tag", f"<![{data}]>"))


def visible_length(text: str) -> int:
    """Characters Telegram counts: the text without its tags, entities decoded,
    in UTF-16 units."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    return utf16_length("".join(checker.visible))


def check(text: str, caption: bool = False) -> list[Problem]:
    """Everything Telegram would refuse in ``text``; empty when it is fine."""
    checker = _Checker()
    checker.feed(text)
    # Flushes what the parser could not finish ("<b" at the end) as text,
    # where it shows up as a stray "<".
    checker.close()
    problems = list(checker.problems)
    problems.extend(Problem("unclosed", f"<{tag}>") for tag in checker.open)
    visible = "".join(checker.visible)
    limit = CAPTION_LIMIT if caption else MESSAGE_LIMIT
    if not visible.strip():
        problems.append(Problem("empty"))
    elif utf16_length(visible) > limit:
        problems.append(Problem("too_long", str(utf16_length(visible)), limit))
    return problems
