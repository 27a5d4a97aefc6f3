"""Server-rendered inline SVG charts: no JavaScript, nothing to download, CSP-friendly.

Each function takes plain series and returns ``Markup`` (an ``<svg>`` element). Every piece of
text that reaches the SVG is escaped here; colours come from CSS classes in ``style.css``
(inline ``style`` attributes would be blocked by the Content-Security-Policy). Points carry a
``<title>`` so that hovering shows the exact value.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from markupsafe import Markup, escape

#: Longer daily series are summed into weeks so that bars stay wider than a pixel.
MAX_DAILY_BARS = 120


def _days(series: Sequence[tuple[str, int]]) -> list[tuple[date, int]]:
    """Parse (YYYY-MM-DD, count) pairs and fill missing days with zero."""
    parsed: dict[date, int] = {}
    for day, count in series:
        try:
            d = date.fromisoformat(str(day)[:10])
        except ValueError:
            continue
        parsed[d] = parsed.get(d, 0) + int(count or 0)
    if not parsed:
        return []
    first, last = min(parsed), max(parsed)
    span = (last - first).days
    if span > 3660:  # absurd dates in the data: keep the last ten years
        first = last - timedelta(days=3660)
    return [(first + timedelta(days=i), parsed.get(first + timedelta(days=i), 0))
            for i in range((last - first).days + 1)]


def _weeks(days: list[tuple[date, int]]) -> list[tuple[date, int]]:
    out: dict[date, int] = {}
    for d, n in days:
        monday = d - timedelta(days=d.weekday())
        out[monday] = out.get(monday, 0) + n
    return sorted(out.items())


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value``."""
    if value <= 0:
        return 1.0
    step = 10 ** len(str(int(value))) / 10
    for mult in (1, 2, 2.5, 5, 10):
        if mult * step >= value:
            return mult * step
    return value


def volume_chart(
    series: Sequence[tuple[str, int]], *, label: str = "articles", width: int = 640,
    height: int = 150,
) -> Markup:
    """Bars of a count per day (per week when the span is long)."""
    days = _days(series)
    if not days:
        return Markup("")
    unit = "day"
    if len(days) > MAX_DAILY_BARS:
        days, unit = _weeks(days), "week of"
    top = _nice_max(max(n for _, n in days))
    left, bottom, right = 36, 20, 6
    plot_w, plot_h = width - left - right, height - bottom - 8
    bar_w = plot_w / len(days)
    parts = [
        f'<svg class="chart volume" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)} per {unit.split()[0]}" xmlns="http://www.w3.org/2000/svg">',
        f'<line class="axis" x1="{left}" y1="{8 + plot_h}" x2="{width - right}" '
        f'y2="{8 + plot_h}"/>',
        f'<text class="tick" x="{left - 4}" y="14" text-anchor="end">{top:g}</text>',
        f'<text class="tick" x="{left - 4}" y="{8 + plot_h}" text-anchor="end">0</text>',
    ]
    for i, (d, n) in enumerate(days):
        h = plot_h * n / top
        x = left + i * bar_w
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{8 + plot_h - h:.1f}" '
            f'width="{max(bar_w - 1, 0.8):.1f}" height="{h:.1f}">'
            f"<title>{escape(unit)} {d.isoformat()}: {n} {escape(label)}</title></rect>"
        )
    parts.append(_x_labels([d for d, _ in days], left, bar_w, height - 4))
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(series: Sequence[tuple[str, int]], *, width: int = 120, height: int = 26) -> Markup:
    """A tiny line of a daily count, for lists."""
    days = _days(series)[-60:]
    if len(days) < 2:
        return Markup("")
    top = max(n for _, n in days) or 1
    step = (width - 2) / (len(days) - 1)
    points = " ".join(
        f"{1 + i * step:.1f},{height - 2 - (height - 4) * n / top:.1f}"
        for i, (_, n) in enumerate(days)
    )
    total = sum(n for _, n in days)
    return Markup(
        f'<svg class="chart spark" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="volume" xmlns="http://www.w3.org/2000/svg">'
        f'<polyline class="line" points="{points}"/>'
        f"<title>{total} articles, {days[0][0].isoformat()} to {days[-1][0].isoformat()}"
        f"</title></svg>"
    )


def relation_chart(
    series: Sequence[dict], *, title: str = "", width: int = 640, height: int = 180
) -> Markup:
    """Weekly cooperation (sum of positive intensities, up) and conflict (negative, down).

    ``series`` items: ``{"week": "YYYY-MM-DD", "cooperation": float, "conflict": float,
    "records": int}`` as ``pair_series`` returns them.
    """
    rows = [r for r in series if r.get("week")]
    if not rows:
        return Markup("")
    top = _nice_max(max(max(r["cooperation"], -r["conflict"]) for r in rows))
    left, right, bottom = 40, 6, 20
    plot_w, plot_h = width - left - right, height - bottom - 8
    mid = 8 + plot_h / 2
    bar_w = plot_w / len(rows)
    parts = [
        f'<svg class="chart relation" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title or "cooperation and conflict per week")}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<line class="axis" x1="{left}" y1="{mid:.1f}" x2="{width - right}" y2="{mid:.1f}"/>',
        f'<text class="tick" x="{left - 4}" y="14" text-anchor="end">+{top:g}</text>',
        f'<text class="tick" x="{left - 4}" y="{8 + plot_h}" text-anchor="end">−{top:g}</text>',
    ]
    for i, r in enumerate(rows):
        x = left + i * bar_w
        up = (plot_h / 2) * r["cooperation"] / top
        down = (plot_h / 2) * -r["conflict"] / top
        tip = (f"week of {escape(r['week'])}: cooperation +{r['cooperation']:g}, "
               f"conflict {r['conflict']:g}, {int(r.get('records', 0))} records")
        w = max(bar_w - 1, 0.8)
        parts.append(
            f'<g><title>{tip}</title>'
            f'<rect class="coop" x="{x:.1f}" y="{mid - up:.1f}" width="{w:.1f}" height="{up:.1f}"/>'
            f'<rect class="conflict" x="{x:.1f}" y="{mid:.1f}" width="{w:.1f}" '
            f'height="{down:.1f}"/></g>'
        )
    weeks = []
    for r in rows:
        try:
            weeks.append(date.fromisoformat(r["week"]))
        except ValueError:
            weeks.append(date.min)
    parts.append(_x_labels(weeks, left, bar_w, height - 4))
    parts.append("</svg>")
    return Markup("".join(parts))


def _x_labels(days: list[date], left: float, bar_w: float, y: float) -> str:
    """First, middle and last date under the bars."""
    if not days:
        return ""
    picks = sorted({0, len(days) // 2, len(days) - 1})
    out = []
    for i in picks:
        anchor = "start" if i == 0 else ("end" if i == len(days) - 1 else "middle")
        x = left + (i + (0 if anchor == "start" else 1 if anchor == "end" else 0.5)) * bar_w
        out.append(f'<text class="tick" x="{x:.1f}" y="{y}" text-anchor="{anchor}">'
                   f"{days[i].isoformat()}</text>")
    return "".join(out)
