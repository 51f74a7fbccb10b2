"""A CSV export as a streamed download (the form says how: texts/csv_form.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from typing import TypeVar

from starlette.responses import StreamingResponse

from texts.csv_form import CsvForm

T = TypeVar("T")


async def _each(rows: Iterable[T] | AsyncIterable[T]) -> AsyncIterator[T]:
    if isinstance(rows, AsyncIterable):
        async for row in rows:
            yield row
    else:
        for row in rows:
            yield row


async def _lines(rows: Iterable[T] | AsyncIterable[T], form: CsvForm[T]) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=form.delimiter)
    buffer.write(form.bom)
    writer.writerow(form.header)
    async for row in _each(rows):
        writer.writerow(form.row(row))
        # One row at a time leaves the buffer: memory does not grow with the export.
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def csv_download(
    rows: Iterable[T] | AsyncIterable[T], form: CsvForm[T], filename: str
) -> StreamingResponse:
    return StreamingResponse(
        _lines(rows, form),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
