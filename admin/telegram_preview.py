"""An announcement's Telegram HTML shown in the console as the learner's
phone would show it. Rebuilt from its parts, never passed through: only the
formatting Telegram knows comes out as tags, every text is escaped, and a
link keeps its address only when it is http(s), tg: or mailto:."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

from markupsafe import Markup

_SAME = {"b", "i", "u", "s", "code", "pre", "blockquote"}
_ALIASES = {"strong": "b", "em": "i", "ins": "u", "strike": "s", "del": "s"}
_SCHEMES = ("http://", "https://", "tg://", "mailto:")


class _Rebuild(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.closing: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        tag = _ALIASES.get(tag, tag)
        if tag in _SAME:
            self.out.append(f"<{tag}>")
            self.closing.append(f"</{tag}>")
        elif tag in ("tg-spoiler", "span"):
            self.out.append('<span class="spoiler">')
            self.closing.append("</span>")
        elif tag == "a":
            href = given.get("href") or ""
            if href.startswith(_SCHEMES):
                self.out.append(f'<a href="{escape(href)}" rel="noopener noreferrer">')
                self.closing.append("</a>")
            else:
                self.closing.append("")
        else:
            self.closing.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.closing:
            self.out.append(self.closing.pop())

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data).replace("\n", "<br>"))


def preview(text: str) -> Markup:
    parser = _Rebuild()
    parser.feed(text)
    parser.close()
    return Markup("".join(parser.out) + "".join(reversed(parser.closing)))
