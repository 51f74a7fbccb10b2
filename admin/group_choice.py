"""The catalogue's groups as the console's pages offer them for choosing."""

from __future__ import annotations

from dataclasses import dataclass

from services.catalogue.view import CatalogueView


@dataclass(frozen=True)
class GroupChoice:
    id: str
    programme_id: str
    label: str  # "Programme title, 2027-01-19"


def choices(view: CatalogueView, lang: str) -> list[GroupChoice]:
    """Every group, by programme title then start date."""
    rows = [
        GroupChoice(g.id, p.id, f"{p.title.get(lang)}, {g.starts.isoformat()}")
        for p, g in view.groups.values()
    ]
    return sorted(rows, key=lambda c: c.label)
