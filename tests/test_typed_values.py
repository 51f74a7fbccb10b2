"""Values learners type into forms are kept without the characters that
would change how staff read them."""

from __future__ import annotations

from services.bidi import typed_value
from services.enquiries import split_contact


def test_direction_overrides_and_invisible_characters_are_dropped() -> None:
    assert typed_value(" Ona \u202eėtianO\u202c\u200b  ") == "Ona ėtianO"
    assert typed_value("\ufeffJonas\u2060Petraitis") == "JonasPetraitis"
    # The joiners belong to some scripts' spelling (Persian "Hosseinzadeh").
    assert typed_value("حسین\u200cزاده") == "حسین\u200cزاده"


def test_the_name_beside_an_enquiry_phone_is_cleaned_too() -> None:
    phone, name = split_contact("Ona \u202eOnaitė\u202c 861234567")
    assert phone == "+37061234567"
    assert name == "Ona Onaitė"
