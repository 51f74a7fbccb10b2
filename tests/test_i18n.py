"""Both catalogs complete, Lithuanian plurals and formats right."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.messages.pofile import read_po

from texts.i18n import LOCALES_DIR, translator


def test_every_message_is_translated_and_not_fuzzy() -> None:
    pot = LOCALES_DIR / "messages.pot"
    with pot.open("rb") as f:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    for lang in ("lt", "en"):
        path = Path(LOCALES_DIR, lang, "LC_MESSAGES", "messages.po")
        with path.open("rb") as f:
            catalog = read_po(f)
        ids = set()
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            ids.add(key)
            strings = (
                [message.string] if isinstance(message.string, str) else list(message.string or [])
            )
            assert all(strings), f"{lang}: untranslated {key!r}"
            assert not message.fuzzy, f"{lang}: fuzzy {key!r}"
        assert template <= ids, f"{lang}: missing {sorted(template - ids)}"


def test_extracted_template_is_up_to_date() -> None:
    """Every msgid used in the code is in the template (run `make locales` if not)."""
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "fresh.pot"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "babel.messages.frontend",
                "extract",
                "--no-location",
                "-F",
                "babel.cfg",
                "-k",
                "N_",
                "-k",
                "gettext",
                "-k",
                "ngettext:1,2",
                "-o",
                str(out),
                ".",
            ],
            check=True,
            cwd=LOCALES_DIR.parent.parent,
            capture_output=True,
        )
        with out.open("rb") as f:
            fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with (LOCALES_DIR / "messages.pot").open("rb") as f:
        current = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    assert fresh <= current, sorted(fresh - current)


def test_lithuanian_has_three_plural_forms() -> None:
    t = translator("lt")
    said = {
        n: t.ngettext("{n} seat left", "{n} seats left", n).format(n=n)
        for n in (1, 2, 5, 10, 11, 12, 21, 22, 25, 101, 111)
    }
    assert said[1] == "liko 1 vieta"
    assert said[21] == "liko 21 vieta" and said[101] == "liko 101 vieta"
    assert said[2] == "liko 2 vietos" and said[22] == "liko 22 vietos"
    assert said[5] == "liko 5 vietos" and said[25] == "liko 25 vietos"
    assert said[10] == "liko 10 vietų"
    assert said[11] == "liko 11 vietų" and said[12] == "liko 12 vietų"
    assert said[111] == "liko 111 vietų"


def test_dates_and_money_follow_the_language() -> None:
    lt, en = translator("lt"), translator("en")
    day = dt.date(2027, 2, 1)
    assert lt.date(day) == "2027 m. vasario 1 d."
    assert en.date(day) == "1 February 2027"
    assert lt.money(1234.5).replace("\xa0", " ") == "1 234,50 €"
    assert en.money(1234.5) == "€1,234.50"
