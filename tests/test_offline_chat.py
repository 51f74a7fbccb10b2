"""The offline chat (`make run` without a token) as a learner uses it: its own
harness drives vtcbot.chat.run_chat in this process with typed lines that may
look at what the screen shows, and reads the screen back."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from services.container import Services
from texts.i18n import translator
from vtcbot.chat import run_chat
from vtcbot.chat_screen import Keyboards, Screen

Line = str | Callable[[str], str]
GROUP = "driving-b-2027-01-evening"


def button(label: str) -> Callable[[str], str]:
    """The number the screen shows last for a button with this label."""

    def number(screen: str) -> str:
        found = re.findall(r"\[(\d+)\] " + re.escape(label), screen)
        assert found, f"no button {label!r} on screen:\n{screen[-1500:]}"
        return str(found[-1])

    return number


async def chat(
    services: Services, lines: list[Line], tmp_path: Path, language_code: str = "lt"
) -> str:
    """The screen after typing `lines` (each a text, or a function of the screen so far)."""
    shown: list[str] = []
    queue = [*lines, "/quit"]

    async def read_line() -> str | None:
        line = queue.pop(0)
        text = line if isinstance(line, str) else line("\n".join(shown))
        shown.append(f"you> {text}")
        return text + "\n"

    code = await run_chat(
        services,
        2001,
        language_code,
        read_line=read_line,
        write=shown.append,
        files_dir=tmp_path / "offline-files",
    )
    assert code == 0
    return "\n".join(shown)


def after(screen: str, marker: str) -> str:
    return screen.split(marker, 1)[1]


async def test_the_phone_keyboard_is_shown_and_pressable(
    services: Services, tmp_path: Path
) -> None:
    screen = await chat(
        services,
        [
            button("Klausti centro"),
            button("Kita"),
            "Ar galima mokytis savaitgaliais?",
            button("Pasidalyti telefono numeriu"),
        ],
        tmp_path,
    )
    contact_step = after(screen, "you> Ar galima mokytis savaitgaliais?")
    assert re.search(r"\[\d+\] Pasidalyti telefono numeriu \(klaviatūros mygtukas\)", contact_step)
    assert re.search(r"\[\d+\] Praleisti \(klaviatūros mygtukas\)", contact_step)
    shared = after(contact_step, "(pasidalijama telefono numeriu +37060000000)")
    assert "darbuotojai galės jums paskambinti numeriu +37060000000" in shared
    # The keyboard went with the phone step: not offered any more.
    assert "Praleisti (klaviatūros mygtukas)" not in shared


async def test_a_sent_file_is_summarised_and_saved(services: Services, tmp_path: Path) -> None:
    await services.reminders.subscribe(2001, GROUP)
    screen = await chat(
        services,
        ["/my_data", "/reminders", button("Keisti:"), button("Gauti kalendoriaus failą (.ics)")],
        tmp_path,
    )
    saved = tmp_path / "offline-files"
    data = after(screen, "you> /my_data")
    match = re.search(
        r"\[failas: my-data\.json, ([\d,]+ KB|\d+ bait\w+), išsaugotas kaip (\S+)\]", data
    )
    assert match, data
    assert Path(match.group(2)) == saved / "my-data.json"
    assert json.loads((saved / "my-data.json").read_bytes())["telegram_user_id"] == 2001
    assert "Skyriai: telegram_user_id, exported_at, learner (" in data
    calendar = screen[screen.index("[failas: B kategorija") :]
    assert re.search(r"\[failas: .+, 2027 m\. sausis\.ics, [\d,]+ KB, išsaugotas kaip ", calendar)
    assert "Kalendorius: 14 įvykių" in calendar
    assert "• sausio 11 d., pirmadienis 17:30 " in calendar
    assert "ir dar 9" in calendar
    assert len(list(saved.glob("*.ics"))) == 1


async def test_an_edited_message_s_old_buttons_are_gone(services: Services, tmp_path: Path) -> None:
    screen = await chat(services, ["/forget", button("Ne, palikti")], tmp_path)
    kept = after(screen, "bot (updated)> Nieko neištrinta.")
    # As in Telegram: the edit took the confirmation's buttons away.
    assert "Taip, ištrinti mano duomenis" not in kept and "Ne, palikti" not in kept
    # Typing the old "Yes" number presses nothing.
    screen = await chat(services, ["/forget", button("Ne, palikti"), "1"], tmp_path)
    assert "(dabar nėra mygtukų, kuriuos galima paspausti)" in screen
    assert "Atlikta: jūsų duomenys ištrinti." not in screen


def _inline(message_id: int, label: str) -> dict[str, Any]:
    keyboard = [[{"text": label, "callback_data": f"1|m|{label}"}]]
    return {"message_id": message_id, "reply_markup": {"inline_keyboard": keyboard}}


def test_keyboards_follow_edits_and_removals() -> None:
    boards = Keyboards()
    assert boards.on_message(_inline(1, "Menu"))
    assert boards.on_message(_inline(2, "Yes"))
    assert [c.label for c in boards.current()] == ["Yes"]
    # The message edited without a keyboard: its buttons are gone, nothing to press.
    assert not boards.on_message({"message_id": 2, "text": "Done"})
    assert boards.current() == []
    one_time = {"keyboard": [[{"text": "Skip"}]], "one_time_keyboard": True}
    assert boards.on_message({"message_id": 3, "sent_reply_markup": one_time})
    [skip] = boards.current()
    boards.used(skip)
    assert boards.current() == []


async def test_the_learner_can_send_a_photo_a_file_and_a_sticker(
    services: Services, tmp_path: Path
) -> None:
    photo = tmp_path / "nuotrauka.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + bytes(100))
    document = tmp_path / "pažyma.pdf"
    document.write_bytes(b"%PDF-1.4\n")
    screen = await chat(
        services,
        [f"/photo {photo}", f"/file {document}", "/sticker", "/file /no/such/file.pdf"],
        tmp_path,
    )
    for sent in (f"you> /photo {photo}", f"you> /file {document}", "you> /sticker"):
        reply = after(screen, sent).split("you>", 1)[0]
        assert "Suprantu tik tekstines žinutes." in reply, reply
    assert "(tokio failo nėra: /no/such/file.pdf)" in screen


async def test_the_chat_s_own_hints_are_in_the_chat_s_language(
    services: Services, tmp_path: Path
) -> None:
    lt = await chat(services, ["40"], tmp_path)
    assert "(mygtuko 40 nėra; įrašykite skaičių nuo 1 iki 7)" in lt
    assert lt.startswith("Neprisijungus veikiantis pokalbis")
    en = await chat(services, ["40"], tmp_path, language_code="en")
    assert "(there is no button 40; type a number from 1 to 7)" in en
    # One button is not a range ("from 1 to 1").
    one = await chat(services, ["/schedule", "7"], tmp_path)
    assert "(mygtuko 7 nėra; įrašykite 1)" in after(one, "you> 7"), one[-400:]


def test_sizes_in_words() -> None:
    screen = Screen(translator("lt"), Path("."))
    assert screen.size(1) == "1 baitas" and screen.size(22) == "22 baitai"
    assert screen.size(15) == "15 baitų" and screen.size(2048) == "2 KB"
    assert Screen(translator("en"), Path(".")).size(1536) == "1.5 KB"


async def test_a_phone_number_typed_into_the_form_is_sent_not_pressed(
    services: Services, tmp_path: Path
) -> None:
    # Typing a number presses a button; a phone number is a message.
    screen = await chat(services, [f"/start reg-{GROUP}", "Ona Onaitė", "861234567"], tmp_path)
    after_phone = after(screen, "you> 861234567")
    assert "mygtuko" not in after_phone, after_phone
    assert "Kas mokės už kursus?" in after_phone, after_phone
