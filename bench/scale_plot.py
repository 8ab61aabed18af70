"""A small SVG of bench/scale.py's figures: for each engine, each cost relative to its value at
the smallest size, against the years of data (plain SVG: no plotting library to install)."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

WIDTH, HEIGHT, PAD = 420, 300, 48
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840", "#28a197", "#912b88",
           "#505a5f", "#5694ca", "#85994b", "#6f72af")  # fmt: skip


def _panel(label: str, by_size: dict[float, dict[str, float]], sizes: list[float], left: int) -> list[str]:
    ops = [op for op in next(iter(by_size.values())) if not op.startswith("load")]
    ratios = {op: [by_size[y][op] / by_size[sizes[0]][op] for y in sizes] for op in ops}
    # Both axes logarithmic: growth in proportion to the data is the dotted diagonal, flat is
    # level, and a few costs that grow hundredfold (what they answer grows) leave the rest readable.
    data = [y / sizes[0] for y in sizes]
    low = min(0.5, min(min(r) for r in ratios.values()))
    top = max(2.0, max(data), max(max(r) for r in ratios.values()))
    lo_x, hi_x = math.log10(min(sizes)), math.log10(max(sizes))
    span_x = hi_x - lo_x or 1.0
    lo_y, span_y = math.log10(low), math.log10(top) - math.log10(low)

    def x(y: float) -> float:
        return left + PAD + (math.log10(y) - lo_x) / span_x * (WIDTH - 2 * PAD)

    def yv(r: float) -> float:
        return HEIGHT - PAD - (math.log10(r) - lo_y) / span_y * (HEIGHT - 2 * PAD)

    diagonal = " ".join(f"{x(y):.1f},{yv(d):.1f}" for y, d in zip(sizes, data, strict=True))
    out = [
        f'<text x="{left + WIDTH / 2}" y="20" text-anchor="middle" font-weight="bold">{escape(label)}</text>',
        f'<line x1="{left + PAD}" y1="{HEIGHT - PAD}" x2="{left + WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#0b0c0c"/>',
        f'<line x1="{left + PAD}" y1="{PAD}" x2="{left + PAD}" y2="{HEIGHT - PAD}" stroke="#0b0c0c"/>',
        f'<line x1="{left + PAD}" y1="{yv(1)}" x2="{left + WIDTH - PAD}" y2="{yv(1)}" stroke="#b1b4b6" '
        'stroke-dasharray="4 3"/>',
        f'<polyline points="{diagonal}" fill="none" stroke="#0b0c0c" stroke-dasharray="1 3">'
        "<title>in proportion to the data</title></polyline>",
        f'<text x="{left + WIDTH / 2}" y="{HEIGHT - 12}" text-anchor="middle">years of data (log)</text>',
        f'<text x="{left + 10}" y="{PAD - 10}">x the {sizes[0]:g}-year time (log; dotted: as data)</text>',
    ]
    for y in sizes:
        out.append(f'<text x="{x(y)}" y="{HEIGHT - PAD + 16}" text-anchor="middle">{y:g}</text>')
    for tick in (t for t in (0.1, 1.0, 10.0, 100.0, 1000.0) if low <= t <= top):
        out.append(f'<text x="{left + PAD - 6}" y="{yv(tick) + 4}" text-anchor="end">{tick:g}</text>')
    for i, op in enumerate(ops):
        colour = COLOURS[i % len(COLOURS)]
        points = " ".join(f"{x(y):.1f},{yv(r):.1f}" for y, r in zip(sizes, ratios[op], strict=True))
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2">'
                   f"<title>{escape(op)}</title></polyline>")  # fmt: skip
    return out


def write_svg(path: Path, results: dict[str, dict[float, dict[str, float]]], sizes: list[float]) -> None:
    panels = list(results.items())
    ops = [op for op in next(iter(panels[0][1].values())) if not op.startswith("load")]
    legend_h = 18 * len(ops) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH * len(panels)}" height="{HEIGHT + legend_h}" '
        'font-family="sans-serif" font-size="12" role="img" aria-labelledby="t">',
        '<title id="t">How each cost grows with years of data (time relative to the smallest size)</title>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    for i, (label, by_size) in enumerate(panels):
        parts += _panel(label, by_size, sizes, i * WIDTH)
    for i, op in enumerate(ops):
        y = HEIGHT + 10 + 18 * i
        parts.append(f'<rect x="{PAD}" y="{y}" width="14" height="4" fill="{COLOURS[i % len(COLOURS)]}"/>')
        parts.append(f'<text x="{PAD + 20}" y="{y + 6}">{escape(op)}</text>')
    parts.append("</svg>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts) + "\n")
