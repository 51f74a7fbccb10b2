"""No English on a Lithuanian console page and no Lithuanian on an English
one: every page, in both languages, in Debian's Chromium. What a page says
(its visible text, and the names buttons and fields are read aloud by) is
checked against the other language's catalog word by word, and phrase by
phrase: a word that only the other language's texts use, or a whole phrase
of them that no text of the page's language contains, is a text left
untranslated, or a code shown instead of a word. What people typed is
marked with its own language (`lang` on the element) and left out, as a
screen reader reads it in that language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import yaml
from babel.messages.pofile import read_po

from tests.admin.browser import BOTH_WIDTHS, Console, chromium, needs_chromium, pages
from tests.conftest import DEMO, ROOT

pytestmark = needs_chromium

WORD = re.compile(r"[^\W\d_]{3,}")
# Names that are the same in both languages' texts or no language's.
NEUTRAL = {"telegram", "excel", "csv", "yaml", "json", "utc", "europe", "vilnius", "faq"}


def _words(text: str) -> set[str]:
    # Placeholders, tags and file names ("centre.yaml") are no language's.
    text = re.sub(r"\{[^}]*\}|<[^>]+>|%\(\w+\)s|[\w.-]+\.(?:yaml|yml|csv|json|ics)\b", " ", text)
    return {w.lower() for w in WORD.findall(text)}


def _catalogue_texts(node: Any, lang: str) -> Iterator[str]:
    """Every text of the centre's catalogue written in `lang` (its titles,
    descriptions, answers: {lt: ..., en: ...})."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == lang and isinstance(value, str):
                yield value
            elif key == lang and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from _catalogue_texts(value, lang)
    elif isinstance(node, list):
        for item in node:
            yield from _catalogue_texts(item, lang)


@cache
def texts_of(lang: str) -> tuple[str, ...]:
    """Every text of a language's catalog (each plural form), and of the
    centre's catalogue in that language."""
    path = ROOT / "bot" / "locales" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    texts: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        texts.extend(str(text) for text in strings if text)
    texts.extend(_catalogue_texts(yaml.safe_load(DEMO.read_text(encoding="utf-8")), lang))
    return tuple(texts)


@cache
def vocabulary(lang: str) -> frozenset[str]:
    """Every word of every text of a language's catalog, and of the centre's
    catalogue in that language ("centre" is also Lithuanian: "mokymo centre")."""
    words: set[str] = set()
    for text in texts_of(lang):
        words |= _words(text)
    return frozenset(words)


def _spaced(text: str) -> str:
    return " ".join(text.split())


# Where a text's fixed wording breaks: placeholders, tags, line ends, and the
# punctuation between clauses. What is left are its phrases.
_BREAK = re.compile(r"\{[^}]*\}|<[^>]+>|%\(\w+\)s|\n|[.:;!?()«»“”„\"–•·|]+(?:\s|$)")


@cache
def phrases(lang: str) -> frozenset[str]:
    """The phrases of a language's texts of two words or more ("Nobody
    found", "was cancelled; what was sent stays sent" in its parts): a whole
    phrase of the other language on a page is a text left untranslated, even
    when each of its words also occurs in this language's texts."""
    found: set[str] = set()
    for text in texts_of(lang):
        for part in _BREAK.split(text):
            part = _spaced(part.strip(" ,-()"))
            if len(WORD.findall(part)) >= 2 and len(part) >= 8:
                found.add(part)
    return frozenset(found)


@cache
def _only_other_phrases(lang: str) -> tuple[str, ...]:
    """Phrases of the other language that no text of `lang` contains."""
    other = "en" if lang == "lt" else "lt"
    own = "\n".join(_spaced(t) for t in texts_of(lang)).lower()
    return tuple(sorted(p for p in phrases(other) if p.lower() not in own))


def foreign_phrases(lang: str, text: str) -> set[str]:
    """Phrases of the other language found whole in `text`."""
    shown = _spaced(text).lower()
    return {p for p in _only_other_phrases(lang) if p.lower() in shown}


def foreign_words(lang: str, text: str) -> set[str]:
    """Words of `text` that only the other language's catalog uses."""
    other = "en" if lang == "lt" else "lt"
    only_other = vocabulary(other) - vocabulary(lang) - NEUTRAL
    return _words(text) & only_other


# The page's own words: visible text, the names of controls and images,
# leaving out what carries another language (people's words).
_READ = """(lang) => {
  const other = [...document.querySelectorAll('[lang]')]
    .filter(e => e !== document.documentElement && e.lang !== lang);
  other.forEach(e => e.setAttribute('data-hidden-for-check', e.style.display));
  other.forEach(e => e.style.display = 'none');
  const names = [...document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')]
    .filter(e => !other.some(o => o.contains(e)))
    .map(e => [e.getAttribute('aria-label'), e.getAttribute('title'),
               e.getAttribute('placeholder'), e.getAttribute('alt')].filter(Boolean).join(' '));
  const text = document.title + '\\n' + document.body.innerText + '\\n' + names.join('\\n');
  other.forEach(e => e.style.display = e.getAttribute('data-hidden-for-check'));
  return text;
}"""


async def _after_actions(page: Any, c: Console, tmp: Any) -> list[tuple[str, str]]:
    """(name, text) of the pages reached through a form: a broadcast's
    preview and a catalogue file's report (with errors and changes)."""
    from playwright.async_api import expect

    read: list[tuple[str, str]] = []
    lang = await page.evaluate("document.documentElement.lang")
    await page.goto(c.base + "/broadcasts")
    await page.locator('textarea[name="text_lt"]').fill("Rytoj pamokų nebus")
    await page.locator('textarea[name="text_en"]').fill("No lessons tomorrow")
    await page.locator('select[name="kind"]').select_option("everyone")
    await page.locator("form[action='/broadcasts/preview'] button.primary").click()
    await expect(page.locator(".bubble").first).to_be_visible()
    read.append(("broadcast preview", await page.evaluate(_READ, lang)))
    text = DEMO.read_text(encoding="utf-8")
    changed = text.replace("starts: 2027-01-11", "starts: 2027-01-18", 1)
    broken = changed.replace("seats: ", "seats: -", 1)
    for name, content in (("catalogue changes", changed), ("catalogue errors", broken)):
        path = tmp / f"{name.replace(' ', '-')}.yaml"
        path.write_text(content, encoding="utf-8")
        await page.goto(c.base + "/catalogue")
        await page.locator('input[type="file"]').set_input_files(str(path))
        await page.locator("form[action='/catalogue/upload'] button").click()
        await expect(page.locator("h1")).to_be_visible()
        read.append((name, await page.evaluate(_READ, lang)))
    return read


@BOTH_WIDTHS
async def test_no_page_speaks_the_other_language(
    seeded_console: Console, tmp_path: Any, viewport: dict[str, int]
) -> None:
    c = seeded_console
    found: dict[str, set[str]] = {}
    async with chromium() as browser:
        page = await browser.new_page(locale="en-GB", viewport=viewport)
        await page.goto(c.link)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(c.base + "/")
        for lang, switch in (("en", None), ("lt", "Lietuvių")):
            if switch:
                await page.goto(c.base + "/")
                await page.get_by_role("button", name=switch).click()
                await page.wait_for_url(c.base + "/")
            assert await page.evaluate("document.documentElement.lang") == lang
            read = []
            for name, path in pages(c):
                await page.goto(c.base + path)
                read.append((name, await page.evaluate(_READ, lang)))
            read += await _after_actions(page, c, tmp_path)
            for name, text in read:
                foreign = foreign_words(lang, text) | foreign_phrases(lang, text)
                if foreign:
                    found[f"{lang} {name}"] = foreign
    assert found == {}, "\n".join(f"{k}: {sorted(v)}" for k, v in sorted(found.items()))


def test_the_check_finds_a_phrase_of_the_other_language_and_not_its_own() -> None:
    # Each word of "Nobody found" is English only, and the phrase is too.
    assert foreign_phrases("lt", "Paieška\nNobody found.") == {"Nobody found"}
    assert foreign_phrases("lt", "Paieška\nNieko nerasta.") == set()
    assert foreign_phrases("en", "Search\nNieko nerasta.") == {"Nieko nerasta"}
    assert foreign_phrases("en", "Search\nNobody found.") == set()
    # Every word of this one is also in the Lithuanian texts ("file", "photo"
    # are used there too): only the whole phrase tells it is English.
    assert foreign_words("lt", "Siųskite a photo or a file") == set()
    assert foreign_phrases("lt", "Siųskite a photo or a file") == {"a photo or a file"}
