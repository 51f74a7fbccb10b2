"""Callback data under 64 bytes and long texts split under 4,096 characters."""

from __future__ import annotations

from texts import callbacks
from texts.split import LIMIT, split_text


def test_round_trip() -> None:
    data = callbacks.pack("l", "formal", "industry-trade", 2)
    cb = callbacks.unpack(data)
    assert cb == callbacks.Callback("l", ("formal", "industry-trade", "2"))


def test_long_ids_are_hashed_and_resolved() -> None:
    long_id = "a-very-long-programme-identifier-that-goes-on-and-on-and-on-forever"
    data = callbacks.pack("h", "p", long_id)
    assert len(data.encode()) <= 64
    cb = callbacks.unpack(data)
    assert cb is not None
    assert callbacks.resolve(cb.arg(1), ["other", long_id]) == long_id
    assert callbacks.resolve(cb.arg(1), ["other"]) is None


def test_foreign_data_is_not_ours() -> None:
    for data in (None, "", "hello", "2|m", "1|", "x" * 65):
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
