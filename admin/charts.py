"""Bar charts drawn on the server as SVG shapes (no script, no CDN): the
template draws the rectangles these functions place."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 180
# Colours of the stacked topics, in order; the rest share the last one.
PALETTE = ("#2a6f97", "#e07a5f", "#81b29a", "#f2cc8f", "#6d597a", "#9a9a9a")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    labels: list[tuple[float, str]]  # x, text under each column
    legend: list[tuple[str, str]]  # colour, series
    top: int  # the value of the full height


def stacked(columns: list[str], series: dict[str, dict[str, int]]) -> Chart:
    """One column per label, each series stacked in it."""
    names = sorted(series, key=lambda s: -sum(series[s].values()))
    colours = {name: PALETTE[min(i, len(PALETTE) - 1)] for i, name in enumerate(names)}
    totals = [sum(series[s].get(c, 0) for s in names) for c in columns]
    top = max(totals, default=0)
    scale = top or 1
    step = WIDTH / max(len(columns), 1)
    bars: list[Bar] = []
    labels: list[tuple[float, str]] = []
    for i, column in enumerate(columns):
        x = i * step + step * 0.15
        y = float(HEIGHT)
        for name in names:
            value = series[name].get(column, 0)
            if not value:
                continue
            h = HEIGHT * value / scale
            y -= h
            bars.append(Bar(x, y, step * 0.7, h, colours[name], f"{column} · {name}: {value}"))
        labels.append((x + step * 0.35, column[5:]))
    legend = [(colours[n], n) for n in names[: len(PALETTE)]]
    return Chart(bars, labels, legend, top)


def shares(columns: list[str], counts: dict[str, tuple[int, int]], series: str) -> Chart:
    """One column per label, its height the share part / whole (full height is 100 %);
    counts maps a label to (part, whole). A column with no whole stays empty."""
    step = WIDTH / max(len(columns), 1)
    bars: list[Bar] = []
    labels: list[tuple[float, str]] = []
    for i, column in enumerate(columns):
        x = i * step + step * 0.15
        part, whole = counts.get(column, (0, 0))
        if whole and part:
            h = HEIGHT * part / whole
            title = f"{column} · {series}: {part}/{whole} ({round(100 * part / whole)} %)"
            bars.append(Bar(x, HEIGHT - h, step * 0.7, h, PALETTE[1], title))
        labels.append((x + step * 0.35, column[5:]))
    top = max((round(100 * p / w) for p, w in counts.values() if w), default=0)
    return Chart(bars, labels, [(PALETTE[1], series)], top)


def columns(labels: list[str], values: list[int], series: str) -> Chart:
    """One column per label (written whole under it), in one colour: a
    distribution such as the answers giving 1 to 5."""
    step = WIDTH / max(len(labels), 1)
    top = max(values, default=0)
    scale = top or 1
    bars: list[Bar] = []
    marks: list[tuple[float, str]] = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = i * step + step * 0.15
        if value:
            h = HEIGHT * value / scale
            title = f"{label} · {series}: {value}"
            bars.append(Bar(x, HEIGHT - h, step * 0.7, h, PALETTE[0], title))
        marks.append((x + step * 0.35, label))
    return Chart(bars, marks, [(PALETTE[0], series)], top)
