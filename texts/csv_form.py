"""The shape of a CSV export, for people or for a program: one rule for every
export of the console (enquiries, registrations, survey answers).

For people: UTF-8 with a byte-order mark (without it Excel reads UTF-8 as
its own code page: "Å½ydrÅ«nÄ—"), the list separator Excel expects in the
reader's locale (";" where the decimal separator is a comma, as in
Lithuanian), headers and codes in words, local times with the zone named in
the header. Raw: the stored values, ISO times in UTC, commas, no BOM."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

BOM = "\ufeff"
# Excel's list separator follows the locale's decimal separator.
_SEPARATOR = {"lt": ";", "en": ","}

T = TypeVar("T")


@dataclass(frozen=True)
class CsvForm(Generic[T]):
    delimiter: str
    bom: str
    header: list[str]
    row: Callable[[T], list[object]]


def for_people(lang: str, header: list[str], row: Callable[[T], list[object]]) -> CsvForm[T]:
    """A file Excel opens right in the reader's language."""
    return CsvForm(_SEPARATOR.get(lang, ","), BOM, header, row)


def raw(header: list[str], row: Callable[[T], list[object]]) -> CsvForm[T]:
    """A file for a program: commas, no BOM."""
    return CsvForm(",", "", header, row)
