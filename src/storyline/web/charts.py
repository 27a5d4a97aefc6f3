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
    step = 7 if unit == "week of" else 1
    axis = TimeAxis(days[0][0], days[-1][0] + timedelta(days=step), left, plot_w)
    parts = [
        f'<svg class="chart volume" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)} per {unit.split()[0]}" xmlns="http://www.w3.org/2000/svg">',
        f'<line class="axis" x1="{left}" y1="{8 + plot_h}" x2="{width - right}" '
        f'y2="{8 + plot_h}"/>',
        f'<text class="tick" x="{left - 4}" y="14" text-anchor="end">{top:g}</text>',
        f'<text class="tick" x="{left - 4}" y="{8 + plot_h}" text-anchor="end">0</text>',
    ]
    for d, n in days:
        h = plot_h * n / top
        x, w = axis.span(d, step)
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{8 + plot_h - h:.1f}" '
            f'width="{w:.1f}" height="{h:.1f}">'
            f"<title>{escape(unit)} {d.isoformat()}: {n} {escape(label)}</title></rect>"
        )
    parts.append(axis.ticks(8 + plot_h, height - 4))
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
    """Weekly cooperation (sum of cooperative intensities, up) and conflict (hostile, down) on
    a time axis: each week is placed by its date, so quiet stretches show as gaps.

    ``series`` items: ``{"week": "YYYY-MM-DD", "cooperation": float, "conflict": float,
    "records": int}`` as ``pair_series`` returns them.
    """
    rows = []
    for r in series:
        try:
            rows.append((date.fromisoformat(str(r.get("week") or "")[:10]), r))
        except ValueError:
            continue
    if not rows:
        return Markup("")
    rows.sort(key=lambda x: x[0])
    last = rows[-1][0]
    rows = [x for x in rows if (last - x[0]).days <= 3660]  # absurd dates: the last ten years
    top = _nice_max(max(max(r["cooperation"], -r["conflict"]) for _, r in rows))
    left, right, bottom = 40, 6, 20
    plot_w, plot_h = width - left - right, height - bottom - 8
    mid = 8 + plot_h / 2
    axis = TimeAxis(rows[0][0], last + timedelta(days=7), left, plot_w)
    parts = [
        f'<svg class="chart relation" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title or "cooperation and conflict per week")}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<line class="axis" x1="{left}" y1="{mid:.1f}" x2="{width - right}" y2="{mid:.1f}"/>',
        f'<line class="axis" x1="{left}" y1="{8 + plot_h}" x2="{width - right}" '
        f'y2="{8 + plot_h}"/>',
        f'<text class="tick" x="{left - 4}" y="14" text-anchor="end">+{top:g}</text>',
        f'<text class="tick" x="{left - 4}" y="{8 + plot_h}" text-anchor="end">−{top:g}</text>',
    ]
    for week, r in rows:
        x, w = axis.span(week, 7)
        up = (plot_h / 2) * r["cooperation"] / top
        down = (plot_h / 2) * -r["conflict"] / top
        tip = (f"week of {week.isoformat()}: cooperation +{r['cooperation']:g}, "
               f"conflict {r['conflict']:g}, {int(r.get('records', 0))} records")
        parts.append(
            f'<g data-week="{week.isoformat()}"><title>{escape(tip)}</title>'
            f'<rect class="coop" x="{x:.1f}" y="{mid - up:.1f}" width="{w:.1f}" height="{up:.1f}"/>'
            f'<rect class="conflict" x="{x:.1f}" y="{mid:.1f}" width="{w:.1f}" '
            f'height="{down:.1f}"/></g>'
        )
    parts.append(axis.ticks(8 + plot_h, height - 4))
    parts.append("</svg>")
    return Markup("".join(parts))


class TimeAxis:
    """A horizontal time axis: ``start`` (inclusive) to ``end`` (exclusive) over ``width`` pixels
    from ``left``. Dates are placed by time, so weeks years apart are far apart and gaps show.
    A span shorter than four weeks is widened to four weeks around its middle, so that one
    week is not drawn as one bar filling the whole chart."""

    #: Candidate tick spacings, in months (0 = weekly ticks), finest first.
    MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)

    def __init__(self, start: date, end: date, left: float, width: float, max_ticks: int = 8):
        if (end - start).days < 28:
            pad = (28 - (end - start).days) / 2
            start = start - timedelta(days=int(pad))
            end = start + timedelta(days=28)
        self.start, self.end, self.left, self.width = start, end, left, width
        self.days = max((end - start).days, 1)
        self.max_ticks = max_ticks

    def x(self, d: date) -> float:
        """The pixel position of the start of day ``d``."""
        return self.left + self.width * (d - self.start).days / self.days

    def span(self, d: date, days: int) -> tuple[float, float]:
        """(x, width) of a bar covering ``days`` days from ``d``: at least 1.5 pixels wide, and
        a little narrower than its slot so that neighbouring bars stay apart."""
        slot = self.width * days / self.days
        w = max(slot - (1 if slot > 3 else 0), 1.5)
        return self.x(d), w

    def tick_dates(self) -> tuple[list[date], str]:
        """Readable tick dates inside the span (first days of years, months, or Mondays) and
        how to label them: ``"day"`` (4 Mar, with the year on the first tick and where the year
        changes) or a ``strftime`` format."""
        months = self.days / 30.44
        if months <= self.max_ticks * 0.5:  # up to about four months: weekly ticks
            step = max(1, -(-int(self.days / 7) // self.max_ticks))
            first = self.start + timedelta(days=(7 - self.start.weekday()) % 7)
            ticks = [first + timedelta(weeks=i * step)
                     for i in range(self.days // (7 * step) + 1)]
            return [t for t in ticks if self.start <= t < self.end], "day"
        step = next((m for m in self.MONTH_STEPS if months / m <= self.max_ticks), 120)
        fmt = "%Y" if step % 12 == 0 else "%b %Y"
        year, month = self.start.year, self.start.month
        ticks = []
        while True:
            t = date(year, month, 1)
            if t >= self.end:
                break
            if t >= self.start and (year * 12 + month - 1) % step == 0:
                ticks.append(t)
            month += 1
            if month > 12:
                year, month = year + 1, 1
        return ticks, fmt

    def ticks(self, axis_y: float, label_y: float) -> str:
        """Tick marks on the axis at ``axis_y`` with their dates under it (at ``label_y``)."""
        ticks, fmt = self.tick_dates()
        out = []
        for i, t in enumerate(ticks):
            x = self.x(t)
            if fmt != "day":
                text = t.strftime(fmt)
            elif i == 0 or ticks[i - 1].year != t.year:
                text = f"{t.day} {t:%b %Y}"
            else:
                text = f"{t.day} {t:%b}"
            anchor = "start" if x < self.left + 20 else (
                "end" if x > self.left + self.width - 20 else "middle")
            out.append(f'<line class="axis" x1="{x:.1f}" y1="{axis_y:.1f}" x2="{x:.1f}" '
                       f'y2="{axis_y + 3:.1f}"/>'
                       f'<text class="tick" x="{x:.1f}" y="{label_y}" text-anchor="{anchor}">'
                       f"{escape(text)}</text>")
        return "".join(out)
