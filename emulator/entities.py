"""Turning formatted text into plain text plus MessageEntity dicts, as Telegram does.

Offsets and lengths are in UTF-16 code units because that is what the Bot API
uses; Python string indices would be wrong for emoji and other astral characters.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any, NoReturn

Entity = dict[str, Any]


class EntityParseError(Exception):
    """Becomes ``Bad Request: can't parse entities: <message>``."""


class UnsupportedParseMode(Exception):
    pass


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def parse(text: str, parse_mode: str | None) -> tuple[str, list[Entity]]:
    mode = (parse_mode or "").strip().lower()
    entities: list[Entity]
    if mode == "":
        plain, entities = text, []
    elif mode == "html":
        plain, entities = parse_html(text)
    elif mode == "markdownv2":
        plain, entities = parse_markdown_v2(text)
    elif mode == "markdown":
        plain, entities = parse_markdown(text)
    else:
        raise UnsupportedParseMode(parse_mode)
    return strip(plain, entities)


def strip(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Telegram trims surrounding whitespace and shifts/clips entities to match."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    end = utf16_len(stripped)
    result: list[Entity] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        stop = min(entity["offset"] + entity["length"] - lead, end)
        if stop > start:
            result.append({**entity, "offset": start, "length": stop - start})
    return stripped, result


_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")


def detect_commands(text: str) -> list[Entity]:
    """bot_command entities like the ones Telegram adds to incoming messages."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND.finditer(text)
    ]


def _sorted(entities: list[Entity]) -> list[Entity]:
    return sorted(
        (e for e in entities if e["length"] > 0), key=lambda e: (e["offset"], -e["length"])
    )


# ---------------------------------------------------------------- HTML

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class _HtmlParser(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        # Not self.offset: HTMLParser uses that name for its own position.
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.parts: list[str] = []
        self.out_offset = 0
        self.stack: list[tuple[str, Entity | None]] = []
        self.entities: list[Entity] = []

    def _where(self) -> int:
        line, column = self.getpos()
        return byte_offset(self.source, self.line_starts[line - 1] + column)

    def _fail(self, message: str) -> NoReturn:
        raise EntityParseError(f"{message} at byte offset {self._where()}")

    def _emit(self, text: str) -> None:
        self.parts.append(text)
        self.out_offset += utf16_len(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = _HTML_TAGS.get(tag)
        attributes = dict(attrs)
        if kind is None or (tag == "span" and attributes.get("class") != "tg-spoiler"):
            self._fail(f'Unsupported start tag "{tag}"')
        base: Entity = {"type": kind, "offset": self.out_offset, "length": 0}
        entity: Entity | None = base
        if tag == "a":
            href = attributes.get("href")
            entity = {**base, "url": href} if href else None
        elif tag == "tg-emoji":
            emoji_id = attributes.get("emoji-id")
            if not emoji_id:
                self._fail('Custom emoji entity must have "emoji-id" attribute')
            entity = {**base, "custom_emoji_id": emoji_id}
        elif tag == "blockquote" and "expandable" in attributes:
            entity = {**base, "type": "expandable_blockquote"}
        elif tag == "code" and self.stack and self.stack[-1][0] == "pre":
            # <pre><code class="language-x"> is one pre entity carrying the language.
            pre = self.stack[-1][1]
            language = attributes.get("class") or ""
            if pre is not None and language.startswith("language-"):
                pre["language"] = language.removeprefix("language-")
            entity = None
        self.stack.append((tag, entity))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            self._fail(f'Unexpected end tag "{tag}"')
        open_tag, entity = self.stack.pop()
        if open_tag != tag:
            self._fail(f'Unmatched end tag, expected "</{open_tag}>", found "</{tag}>"')
        if entity is not None:
            entity["length"] = self.out_offset - entity["offset"]
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        if "<" in data:
            # Python's parser passes a stray "<" through; Telegram rejects it.
            self._fail("Unexpected end of name token")
        self._emit(data)

    def _raw_reference(self, name: str) -> str:
        """The reference as written; the parser does not say whether ';' was there."""
        line, column = self.getpos()
        end = self.line_starts[line - 1] + column + 1 + len(name)
        return f"&{name};" if self.source.startswith(";", end) else f"&{name}"

    def handle_entityref(self, name: str) -> None:
        # Only four named entities are supported; others stay literal text.
        raw = self._raw_reference(name)
        self._emit(_HTML_NAMED[name] if name in _HTML_NAMED and raw.endswith(";") else raw)

    def handle_charref(self, name: str) -> None:
        try:
            code = int(name[1:], 16) if name[:1] in ("x", "X") else int(name)
            self._emit(chr(code))
        except (ValueError, OverflowError):
            self._fail("Invalid numeric HTML entity")

    def handle_comment(self, data: str) -> None:
        self._fail('Unsupported start tag "!--"')

    def handle_decl(self, decl: str) -> None:
        self._fail('Unsupported start tag "!"')

    def handle_pi(self, data: str) -> None:
        self._fail('Unsupported start tag "?"')

    def unknown_decl(self, data: str) -> None:
        self._fail('Unsupported start tag "!"')


def parse_html(source: str) -> tuple[str, list[Entity]]:
    parser = _HtmlParser(source)
    # The trailing space makes HTMLParser finish a reference at the very end ("Q&A"),
    # which it would otherwise drop the "&" of; it is removed again below.
    parser.feed(source + " ")
    parser.close()
    if parser.stack:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{parser.stack[-1][0]}"'
        )
    return "".join(parser.parts)[:-1], _sorted(parser.entities)


# ---------------------------------------------------------------- MarkdownV2

_V2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_V2_SPECIAL = re.compile(r"[_*\[\]()~`>#+\-=|{}.!\\\n]")
_V2_TOGGLES = {
    "*": "bold",
    "__": "underline",
    "_": "italic",
    "~": "strikethrough",
    "||": "spoiler",
}
_ENTITY_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
    "code": "Code",
    "pre": "Pre",
}


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0
        self.entities: list[Entity] = []

    def emit(self, text: str) -> None:
        self.parts.append(text)
        self.offset += utf16_len(text)

    def add(self, kind: str, start: int, **extra: Any) -> None:
        length = self.offset - start
        self.entities.append({"type": kind, "offset": start, "length": length, **extra})

    def result(self) -> tuple[str, list[Entity]]:
        return "".join(self.parts), _sorted(self.entities)


def _read_until(source: str, start: int, terminator: str, escapable: str) -> tuple[str, int]:
    """Literal text up to an unescaped terminator; returns (text, index of terminator)."""
    out: list[str] = []
    i = start
    while i < len(source):
        if source[i] == "\\" and i + 1 < len(source) and source[i + 1] in escapable:
            out.append(source[i + 1])
            i += 2
        elif source.startswith(terminator, i):
            return "".join(out), i
        else:
            out.append(source[i])
            i += 1
    return "".join(out), -1


def parse_markdown_v2(source: str) -> tuple[str, list[Entity]]:
    b = _Builder()
    open_marks: dict[str, tuple[int, int]] = {}  # kind -> (utf16 offset, source index)
    links: list[tuple[int, int]] = []
    quote_start: int | None = None
    i = 0
    n = len(source)
    while i < n:
        match = _V2_SPECIAL.search(source, i)
        if match is None:
            b.emit(source[i:])
            break
        if match.start() > i:
            b.emit(source[i : match.start()])
        i = match.start()
        c = source[i]
        if c == "\\":
            if i + 1 < n and 0 < ord(source[i + 1]) <= 126:
                b.emit(source[i + 1])
                i += 2
            else:
                b.emit(c)
                i += 1
        elif c == "\n":
            if quote_start is not None and not source.startswith(">", i + 1):
                b.add("blockquote", quote_start)
                quote_start = None
            b.emit(c)
            i += 1
        elif c == ">" and (i == 0 or source[i - 1] == "\n"):
            if quote_start is None:
                quote_start = b.offset
            i += 1
        elif c == "`":
            fence = "```" if source.startswith("```", i) else "`"
            body, end = _read_until(source, i + len(fence), fence, "`\\")
            if end < 0:
                kind = "Pre" if fence == "```" else "Code"
                raise EntityParseError(
                    f"Can't find end of {kind} entity at byte offset {byte_offset(source, i)}"
                )
            start = b.offset
            if fence == "```":
                first, newline, rest = body.partition("\n")
                language = first.strip() if newline and first.strip() else None
                b.emit(rest if language else body)
                extra = {"language": language} if language else {}
                b.add("pre", start, **extra)
            else:
                b.emit(body)
                b.add("code", start)
            i = end + len(fence)
        elif c == "[":
            links.append((b.offset, i))
            i += 1
        elif c == "]" and links:
            if not source.startswith("(", i + 1):
                raise EntityParseError(
                    f"Character '{c}' is reserved and must be escaped with the preceding '\\'"
                )
            url, end = _read_until(source, i + 2, ")", ")\\")
            if end < 0:
                raise EntityParseError(
                    f"Can't find end of a URL at byte offset {byte_offset(source, i)}"
                )
            start, _ = links.pop()
            b.add("text_link", start, url=url)
            i = end + 1
        elif source.startswith("||", i) or source.startswith("__", i) or c in "*_~":
            mark = source[i : i + 2] if source.startswith(("||", "__"), i) else c
            kind = _V2_TOGGLES[mark]
            if kind in open_marks:
                start, _ = open_marks.pop(kind)
                b.add(kind, start)
            else:
                open_marks[kind] = (b.offset, i)
            i += len(mark)
        elif c in _V2_RESERVED:
            raise EntityParseError(
                f"Character '{c}' is reserved and must be escaped with the preceding '\\'"
            )
        else:
            b.emit(c)
            i += 1
    if links:
        raise EntityParseError(
            f"Can't find end of TextUrl entity at byte offset {byte_offset(source, links[0][1])}"
        )
    if open_marks:
        kind, (_, index) = min(open_marks.items(), key=lambda item: item[1][1])
        raise EntityParseError(
            f"Can't find end of {_ENTITY_NAMES[kind]} entity at byte offset "
            f"{byte_offset(source, index)}"
        )
    if quote_start is not None:
        b.add("blockquote", quote_start)
    return b.result()


# ---------------------------------------------------------------- legacy Markdown

_MD_SPECIAL = re.compile(r"[*_`\[\\]")


def parse_markdown(source: str) -> tuple[str, list[Entity]]:
    b = _Builder()
    i = 0
    n = len(source)
    while i < n:
        match = _MD_SPECIAL.search(source, i)
        if match is None:
            b.emit(source[i:])
            break
        if match.start() > i:
            b.emit(source[i : match.start()])
        i = match.start()
        c = source[i]
        if c == "\\" and i + 1 < n and source[i + 1] in "*_`[":
            b.emit(source[i + 1])
            i += 2
            continue
        if c == "\\":
            b.emit(c)
            i += 1
            continue
        fail = EntityParseError(
            f"Can't find end of the entity starting at byte offset {byte_offset(source, i)}"
        )
        start = b.offset
        if c == "[":
            text_end = source.find("](", i + 1)
            url_end = source.find(")", text_end + 2) if text_end >= 0 else -1
            if url_end < 0:
                raise fail
            b.emit(source[i + 1 : text_end])
            b.add("text_link", start, url=source[text_end + 2 : url_end])
            i = url_end + 1
            continue
        fence = "```" if source.startswith("```", i) else c
        end = source.find(fence, i + len(fence))
        if end < 0:
            raise fail
        body = source[i + len(fence) : end]
        if fence == "```":
            first, newline, rest = body.partition("\n")
            language = first.strip() if newline and first.strip() else None
            b.emit(rest if language else body)
            b.add("pre", start, **({"language": language} if language else {}))
        else:
            b.emit(body)
            b.add({"*": "bold", "_": "italic", "`": "code"}[c], start)
        i = end + len(fence)
    return b.result()
