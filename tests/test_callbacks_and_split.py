"""Callback data under 64 bytes and long texts split under 4,096 characters."""

from __future__ import annotations

from texts import callbacks
from texts.callbacks import Action, EnquiryButton, ReminderButton, WaitlistButton
from texts.split import LIMIT, split_text


def test_round_trip() -> None:
    data = callbacks.pack(Action.LIST, "formal", "industry-trade", 2)
    assert data == "1|l|formal|industry-trade|2"
    cb = callbacks.unpack(data)
    assert cb == callbacks.Callback(Action.LIST, ("formal", "industry-trade", "2"))


def test_codes_of_buttons_already_sent_never_change() -> None:
    # Learners press buttons sent weeks ago: every code keeps its meaning.
    sent_before = {
        "m": Action.MAIN_MENU, "k": Action.PROGRAMME_KINDS, "K": Action.KIND, "l": Action.LIST,
        "p": Action.PROGRAMME, "g": Action.GROUPS, "$": Action.PRICE, "t": Action.FAQ_TOPICS,
        "T": Action.FAQ_TOPIC, "f": Action.FAQ, "c": Action.CONTACTS, "L": Action.LANGUAGE,
        "h": Action.SUGGESTION, "C": Action.CHOICE, "Q": Action.ENQUIRY,
        "E": Action.STAFF_ENQUIRY, "R": Action.REMINDERS, "W": Action.WAITLIST,
        "S": Action.SETTINGS, "V": Action.FEEDBACK, "F": Action.FORGET, "B": Action.COMPOSE,
        "BX": Action.BROADCAST_CANCEL, "BY": Action.BROADCAST_CANCEL_YES,
        "BN": Action.BROADCAST_CANCEL_NO, "U": Action.SURVEY,
        "J": Action.REGISTER,
        "Y": Action.MY_COURSES,
        "Z": Action.STAFF_REGISTRATION,
    }  # fmt: skip
    for code, action in sent_before.items():
        assert callbacks.unpack(f"1|{code}|x") == callbacks.Callback(action, ("x",))
    assert len(set(Action)) == len(sent_before), "a new action needs a new, unused code"
    reminders = {
        "l": "LIST", "s": "SCHEDULE", "q": "QUIET_HOURS", "Q": "SET_QUIET_HOURS",
        "S": "FOLLOW", "g": "GROUP", "t": "TOGGLE", "i": "CALENDAR", "x": "STOP",
    }  # fmt: skip
    assert {b.value: b.name for b in ReminderButton} == reminders
    assert {b.value for b in EnquiryButton} >= {"new", "ask", "p", "t", "cancel", "agree", "send"}
    assert [b.value for b in WaitlistButton] == ["j", "x"]
    assert callbacks.entry_kind("programme") == "p" and callbacks.entry_kind("faq") == "f"


def test_handler_patterns_take_exactly_their_action() -> None:
    import re

    reminders = re.compile(callbacks.pattern(Action.REMINDERS))
    assert reminders.match("1|R|S|grp") and not reminders.match("1|RX|S")
    calendar = re.compile(callbacks.pattern(Action.REMINDERS, ReminderButton.CALENDAR))
    assert calendar.match("1|R|i|grp") and not calendar.match("1|R|S|grp")
    declined = re.compile(callbacks.pattern(Action.BROADCAST_CANCEL_NO, bare=True))
    assert declined.match("1|BN") and not declined.match("1|BN|3")
    assert re.compile(callbacks.pattern(Action.PRICE)).match("1|$|welder")


def test_long_ids_are_hashed_and_resolved() -> None:
    long_id = "a-very-long-programme-identifier-that-goes-on-and-on-and-on-forever"
    data = callbacks.pack(Action.SUGGESTION, "p", long_id)
    assert len(data.encode()) <= 64
    cb = callbacks.unpack(data)
    assert cb is not None
    assert callbacks.resolve(cb.arg(1), ["other", long_id]) == long_id
    assert callbacks.resolve(cb.arg(1), ["other"]) is None


def test_foreign_data_is_not_ours() -> None:
    for data in (None, "", "hello", "2|m", "1|", "1|zz|a", "x" * 65):
        assert callbacks.unpack(data) is None


def test_short_text_is_one_part() -> None:
    assert split_text("labas") == ["labas"]


def test_long_text_splits_on_lines_under_the_limit() -> None:
    lines = [f"<b>Eilutė {i}</b> " + "ž" * 50 for i in range(300)]
    text = "\n".join(lines)
    parts = split_text(text)
    assert len(parts) > 1
    assert all(len(p) <= LIMIT for p in parts)
    assert "\n".join(parts) == text
    assert all(p.count("<b>") == p.count("</b>") for p in parts)


def test_one_huge_line_splits_between_words_and_never_inside_an_entity() -> None:
    text = ("a&amp;b " * 2000).strip()
    parts = split_text(text)
    assert all(len(p) <= LIMIT for p in parts)
    assert " ".join(parts) == text
    unbroken = "&amp;" * 1000
    parts = split_text(unbroken)
    assert all(len(p) <= LIMIT and p.endswith(";") for p in parts)
    assert "".join(parts) == unbroken


def test_a_button_under_an_answer_is_marked_to_open_below() -> None:
    import re

    data = callbacks.pack(Action.GROUPS, "welder", below=True)
    assert data == "1|g+|welder"
    assert callbacks.unpack(data) == callbacks.Callback(Action.GROUPS, ("welder",), below=True)
    assert callbacks.unpack("1|g|welder") == callbacks.Callback(Action.GROUPS, ("welder",))
    assert callbacks.unpack("1|+|welder") is None
    follow = re.compile(callbacks.pattern(Action.REMINDERS, ReminderButton.FOLLOW))
    assert follow.match("1|R+|S|grp") and follow.match("1|R|S|grp")
    assert not follow.match("1|R++|S|grp")
