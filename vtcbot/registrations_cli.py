"""`vtcbot registrations list --group ID [--status S] --format csv|jsonl`:
a group's registrations for the centre's own records, streamed by number."""

from __future__ import annotations

import csv
import json
import sys
from typing import TextIO

from domain.registrations import Registration
from services.bidi import spreadsheet_cell
from services.container import Services

FIELDS = (
    "id",
    "group_id",
    "programme_id",
    "status",
    "lang",
    "name",
    "phone",
    "email",
    "school",
    "subject",
    "workplace",
    "payment",
    "payment_details",
    "created_at",
    "updated_at",
)


def _row(registration: Registration) -> dict[str, str | int | None]:
    details = registration.details
    return {
        "id": registration.id,
        "group_id": registration.group_id,
        "programme_id": registration.programme_id,
        "status": str(registration.status),
        "lang": registration.lang,
        **{key: details.get(key) for key in ("name", "phone", "email", "school", "subject")},
        "workplace": details.get("workplace"),
        "payment": registration.payment,
        "payment_details": (
            json.dumps(registration.payment_details, ensure_ascii=False)
            if registration.payment_details
            else None
        ),
        "created_at": registration.created_at,
        "updated_at": registration.updated_at,
    }


async def list_(
    services: Services, group_id: str, status: str | None, fmt: str, out: TextIO = sys.stdout
) -> int:
    if services.registrations.group(group_id) is None:
        print(f"no group '{group_id}' in the catalogue", file=sys.stderr)
        return 2
    writer = csv.writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(FIELDS)
    count = 0
    async for registration in services.registrations.export(group_id, status):
        row = _row(registration)
        if writer is not None:
            # A spreadsheet opens it: no formulas, no reordering controls.
            writer.writerow([spreadsheet_cell(row[f]) for f in FIELDS])
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    print(f"{count} registrations", file=sys.stderr)
    return 0
