"""`vtcbot enquiries list|export`: the enquiry log for admins, streamed."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import sys
from typing import TextIO

from services.bidi import spreadsheet_cell
from services.container import Services

FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "status",
    "lang",
    "topic",
    "programme_id",
    "text",
    "name",
    "phone",
    "assignee_id",
)


async def list_(
    services: Services,
    since: dt.date | None,
    status: str | None,
    programme: str | None,
    out: TextIO = sys.stdout,
) -> int:
    count = 0
    async for e in services.enquiries.log(since, status, programme):
        snippet = e.text.replace("\n", " ")[:60]
        out.write(
            f"#{e.id}\t{e.created_at[:16]}\t{e.status}\t{e.lang}\t{e.topic or '-'}\t{snippet}\n"
        )
        count += 1
    print(f"{count} enquiries", file=sys.stderr)
    return 0


async def export(
    services: Services, since: dt.date | None, fmt: str, out: TextIO = sys.stdout
) -> int:
    writer = csv.writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(FIELDS)
    async for e in services.enquiries.log(since):
        row = dataclasses.asdict(e)
        if writer is not None:
            # A spreadsheet opens it: no formulas, no reordering controls.
            writer.writerow([spreadsheet_cell(row[f]) for f in FIELDS])
        else:
            out.write(json.dumps({f: row[f] for f in FIELDS}, ensure_ascii=False) + "\n")
    out.flush()
    return 0
