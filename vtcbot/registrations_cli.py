"""`vtcbot registrations list --group ID [--status S] --format csv|jsonl`:
a group's registrations for the centre's own records, streamed by number."""

from __future__ import annotations

import csv
import json
import sys
from typing import TextIO

from services.bidi import spreadsheet_cell
from services.container import Services
from texts.registration_console import RAW_COLUMNS as FIELDS
from texts.registration_console import raw_row


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
        row = raw_row(registration)
        if writer is not None:
            # A spreadsheet opens it: no formulas, no reordering controls.
            writer.writerow([spreadsheet_cell(row[f]) for f in FIELDS])
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    print(f"{count} registrations", file=sys.stderr)
    return 0
