"""Organizer analytics report as an A4 PDF, with charts drawn by fpdf2's own primitives."""
from __future__ import annotations

import math
import numbers
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from fpdf import FPDF

CHART_KINDS = ("bar", "hbar", "funnel", "line")
NO_DATA = "No data yet"

MARGIN = 15.0
FOOTER_MARGIN = 18.0
CHART_H = 80.0
BLOCK_GAP = 5.0
METRIC_H = 17.0
METRIC_GAP = 3.0
TABLE_ROW_H = 6.0
CELL_PAD = 1.5
MAX_HBARS = 25
MAX_FUNNEL_STEPS = 12

FONT = "Helvetica"
INK = (31, 41, 55)
MUTED = (107, 114, 128)
GRID = (229, 231, 235)
FRAME = (209, 213, 219)
PANEL = (249, 250, 251)
HEADER_FILL = (229, 236, 246)
ZEBRA = (246, 247, 249)
PALETTE = [(37, 99, 235), (249, 115, 22), (16, 185, 129), (139, 92, 246), (239, 68, 68), (20, 184, 166)]

# Characters the core fonts (Latin-1) lack but that have an obvious ASCII reading; NFKD handles most of the rest.
_PUNCTUATION = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2026": "...", "\u2022": "\u00b7", "\u2023": ">", "\u2043": "-", "\u25cf": "*", "\u25aa": "*",
    "\u2192": "->", "\u2190": "<-", "\u2194": "<->", "\u21d2": "=>", "\u2264": "<=", "\u2265": ">=", "\u2260": "!=",
    "\u2248": "~", "\u20ac": "EUR", "\u2122": "(TM)", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u2002": " ",
    "\u2003": " ", "\u2713": "v", "\u2714": "v", "\u2717": "x", "\u2718": "x", "\u00a0": " ",
    # Latin letters NFKD leaves whole.
    "\u0141": "L", "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0131": "i", "\u0152": "OE", "\u0153": "oe",
    "\u0126": "H", "\u0127": "h",
}


@dataclass(frozen=True)
class Chart:
    """One chart: kind is "bar", "hbar", "funnel" or "line"; labels pair with values."""

    kind: str
    title: str
    labels: list[str]
    values: list[float]
    unit: str = ""

    def __post_init__(self) -> None:
        if self.kind not in CHART_KINDS:
            raise ValueError(f"Unknown chart kind {self.kind!r}; expected one of {', '.join(CHART_KINDS)}")


@dataclass(frozen=True)
class Table:
    """A titled table; rows are lists of cell values, shorter rows are padded."""

    title: str
    columns: list[str]
    rows: list[list[object]]


@dataclass(frozen=True)
class ReportSection:
    """A report section: metric boxes, then charts, tables and notes, in that order."""

    title: str
    metrics: list[tuple[str, str]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def to_latin1(text: object) -> str:
    """Text the PDF core fonts can print: Latin-1 kept, known punctuation mapped, accents stripped, rest '?'."""
    out: list[str] = []
    for ch in str(text):
        if ch in _PUNCTUATION:
            out.append(_PUNCTUATION[ch])
        elif ch in "\n\t":
            out.append(" " if ch == "\t" else ch)
        elif ord(ch) < 256:
            out.append(ch if ch.isprintable() else "")
        elif unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
            continue  # combining marks, variation selectors, zero-width joiners: invisible, drop
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out.append(base if base and all(ord(c) < 256 for c in base) else "?")
    return "".join(out)


def format_number(value: float, unit: str = "") -> str:
    """A compact number for axes and labels (1.2k, 3.4M), with the unit appended."""
    if not math.isfinite(value):
        text = "-"
    elif abs(value) >= 1_000_000:
        text = f"{value / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"
    elif abs(value) >= 10_000:
        text = f"{value / 1_000:.1f}".rstrip("0").rstrip(".") + "k"
    elif float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    return f"{text}{unit}" if len(unit) == 1 else f"{text} {unit}"


def analytics_pdf(*, title: str, subtitle: str, generated_at: datetime, sections: list[ReportSection]) -> bytes:
    """Render the report and return the PDF file's bytes; a naive generated_at is taken as UTC."""
    pdf = _ReportPDF(to_latin1(title))
    stamp = generated_at if generated_at.tzinfo else generated_at.replace(tzinfo=UTC)
    stamp = stamp.astimezone(UTC)
    pdf.set_creation_date(stamp)
    pdf.set_title(to_latin1(title))
    pdf.set_creator("GlobalConnect")
    pdf.add_page()
    _title_block(pdf, title, subtitle, stamp)
    for section in sections:
        _section(pdf, section)
    return bytes(pdf.output())


class _ReportPDF(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report_title = title
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=FOOTER_MARGIN)
        self.c_margin = 0
        self.alias_nb_pages()

    def footer(self) -> None:
        padding, self.c_margin = self.c_margin, 0
        self.set_y(-12)
        self.set_draw_color(*GRID)
        self.line(MARGIN, self.get_y() - 1, self.w - MARGIN, self.get_y() - 1)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(self.epw / 2, 5, _fit(self, self.report_title, self.epw / 2 - 2), align="L")
        self.cell(self.epw / 2, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.c_margin = padding


def _fit(pdf: FPDF, text: object, width: float) -> str:
    """The text in the current font, cut with '...' so it is at most width mm wide."""
    s = to_latin1(text).replace("\n", " ")
    if pdf.get_string_width(s) <= width:
        return s
    lo, hi = 0, len(s)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if pdf.get_string_width(s[:mid].rstrip() + "...") <= width:
            lo = mid
        else:
            hi = mid - 1
    return s[:lo].rstrip() + "..." if lo else ""


def _text(pdf: FPDF, x: float, y: float, text: str, align: str = "L") -> None:
    """Print text with its vertical middle at y, anchored left, centre or right at x; never breaks the page."""
    width = pdf.get_string_width(text)
    if align == "C":
        x -= width / 2
    elif align == "R":
        x -= width
    pdf.text(x, y + pdf.font_size * 0.35, text)


def _font(pdf: FPDF, size: float, style: str = "", color: tuple[int, int, int] = INK) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*color)


def _ensure_room(pdf: FPDF, height: float) -> None:
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()


def _no_data(pdf: FPDF) -> None:
    _font(pdf, 9, "I", MUTED)
    pdf.cell(pdf.epw, 7, NO_DATA, new_x="LMARGIN", new_y="NEXT")


def _title_block(pdf: FPDF, title: str, subtitle: str, stamp: datetime) -> None:
    _font(pdf, 20, "B")
    pdf.multi_cell(pdf.epw, 9, to_latin1(title), align="L", new_x="LMARGIN", new_y="NEXT")
    if subtitle:
        _font(pdf, 12, "", MUTED)
        pdf.multi_cell(pdf.epw, 6, to_latin1(subtitle), align="L", new_x="LMARGIN", new_y="NEXT")
    _font(pdf, 9, "", MUTED)
    pdf.cell(pdf.epw, 6, f"Generated {stamp:%Y-%m-%d %H:%M} UTC", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*PALETTE[0])
    pdf.set_line_width(0.6)
    pdf.line(MARGIN, pdf.get_y() + 1, pdf.w - MARGIN, pdf.get_y() + 1)
    pdf.set_line_width(0.2)
    pdf.ln(6)


def _first_block_height(section: ReportSection) -> float:
    if section.metrics:
        return METRIC_H
    if section.charts:
        return CHART_H
    if section.tables:
        return 7 + 2 * TABLE_ROW_H
    return 10


def _section(pdf: FPDF, section: ReportSection) -> None:
    # Keep the heading on the same page as the section's first block.
    _ensure_room(pdf, 12 + _first_block_height(section))
    _font(pdf, 14, "B")
    pdf.multi_cell(pdf.epw, 7, to_latin1(section.title), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*FRAME)
    pdf.line(MARGIN, pdf.get_y() + 0.5, pdf.w - MARGIN, pdf.get_y() + 0.5)
    pdf.ln(3)
    if not (section.metrics or section.charts or section.tables or section.notes):
        _no_data(pdf)
        pdf.ln(BLOCK_GAP)
        return
    if section.metrics:
        _metrics(pdf, section.metrics)
    for chart in section.charts:
        _chart(pdf, chart)
    for table in section.tables:
        _table(pdf, table)
    if section.notes:
        _notes(pdf, section.notes)
    pdf.ln(BLOCK_GAP)


def _metrics(pdf: FPDF, metrics: list[tuple[str, str]]) -> None:
    cols = 2 if len(metrics) in (1, 2, 4) else 3
    box_w = (pdf.epw - (cols - 1) * METRIC_GAP) / cols
    for start in range(0, len(metrics), cols):
        _ensure_room(pdf, METRIC_H)
        y = pdf.get_y()
        for i, (label, value) in enumerate(metrics[start:start + cols]):
            x = MARGIN + i * (box_w + METRIC_GAP)
            pdf.set_fill_color(*PANEL)
            pdf.set_draw_color(*FRAME)
            pdf.rect(x, y, box_w, METRIC_H, style="DF")
            pdf.set_fill_color(*PALETTE[0])
            pdf.rect(x, y, 1.2, METRIC_H, style="F")
            _font(pdf, 8, "", MUTED)
            _text(pdf, x + 4, y + 4.5, _fit(pdf, label, box_w - 6))
            _font(pdf, 15, "B")
            _text(pdf, x + 4, y + 11.5, _fit(pdf, value, box_w - 6))
        pdf.set_y(y + METRIC_H + METRIC_GAP)
    pdf.ln(BLOCK_GAP - METRIC_GAP)


def _notes(pdf: FPDF, notes: list[str]) -> None:
    _font(pdf, 9, "", MUTED)
    for note in notes:
        pdf.multi_cell(pdf.epw, 4.5, to_latin1(note), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)


def _chart(pdf: FPDF, chart: Chart) -> None:
    _ensure_room(pdf, CHART_H)
    x, y, w = MARGIN, pdf.get_y(), pdf.epw
    pdf.set_draw_color(*FRAME)
    pdf.set_line_width(0.2)
    pdf.rect(x, y, w, CHART_H, style="D")
    # Missing or non-finite values plot as zero rather than breaking the axis scale.
    values = [float(v) if v is not None and math.isfinite(float(v)) else 0.0 for v in chart.values]
    labels = [to_latin1(label) for label in chart.labels[:len(values)]]
    labels += [""] * (len(values) - len(labels))
    title = chart.title
    cap = {"hbar": MAX_HBARS, "funnel": MAX_FUNNEL_STEPS}.get(chart.kind)
    if cap and len(values) > cap:
        title = f"{title} (first {cap} of {len(values)})"
        values, labels = values[:cap], labels[:cap]
    _font(pdf, 10, "B")
    _text(pdf, x + 4, y + 6, _fit(pdf, title, w - 8))
    plot = (x + 4, y + 12, w - 8, CHART_H - 16)
    if values:
        draw = {"bar": _bar, "hbar": _hbar, "funnel": _funnel, "line": _line}[chart.kind]
        draw(pdf, plot, labels, values, to_latin1(chart.unit))
    else:
        _font(pdf, 10, "I", MUTED)
        _text(pdf, x + w / 2, y + CHART_H / 2, NO_DATA, "C")
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.2)
    pdf.set_y(y + CHART_H + BLOCK_GAP)


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high], about count of them."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = [start]
    while ticks[-1] < high - 1e-9:
        ticks.append(ticks[-1] + step)
    return [round(t, 10) for t in ticks]


def _value_axis(pdf: FPDF, plot: tuple[float, float, float, float], values: list[float], unit: str,
                bottom_room: float) -> tuple[float, float, float, float, list[float]]:
    """Draw y gridlines with tick labels; return the inner plot box and the ticks."""
    px, py, pw, ph = plot
    low, high = min(0.0, min(values)), max(0.0, max(values))
    headroom = (high - low) * 0.08  # room for the value labels printed beyond the extreme bars and points
    ticks = _nice_ticks(low - headroom if low < 0 else low, high + headroom if high > 0 else high)
    _font(pdf, 7, "", MUTED)
    axis_w = max(pdf.get_string_width(format_number(t, unit)) for t in ticks) + 2
    ix, iy, iw, ih = px + axis_w, py + 2, pw - axis_w, ph - 2 - bottom_room
    pdf.set_line_width(0.15)
    for t in ticks:
        ty = iy + ih - (t - ticks[0]) / (ticks[-1] - ticks[0]) * ih
        pdf.set_draw_color(*(FRAME if t == 0 else GRID))
        pdf.line(ix, ty, ix + iw, ty)
        _text(pdf, ix - 1.5, ty, format_number(t, unit), "R")
    pdf.set_draw_color(*MUTED)
    pdf.line(ix, iy, ix, iy + ih)
    return ix, iy, iw, ih, ticks


def _x_labels(pdf: FPDF, centers: list[float], labels: list[str], slot: float, y: float,
              bounds: tuple[float, float], keep: float) -> None:
    """Labels under the plot, kept within bounds (left, right); shortened down to keep mm wide, then thinned out."""
    _font(pdf, 7, "", INK)
    widest = max((pdf.get_string_width(s) for s in labels), default=0)
    room = max(slot, 1e-6)
    step = max(1, math.ceil((min(widest, keep) + 1.5) / room))
    width = min(widest, room * step - 1.5)
    last_right = -math.inf
    for i in range(0, len(labels), step):
        text = _fit(pdf, labels[i], width)
        half = pdf.get_string_width(text) / 2
        cx = min(max(centers[i], bounds[0] + half), bounds[1] - half)
        if text and cx - half >= last_right + 1.5:  # the edge labels may have been pushed inwards
            _text(pdf, cx, y, text, "C")
            last_right = cx + half


def _bar(pdf: FPDF, plot: tuple[float, float, float, float], labels: list[str], values: list[float],
         unit: str) -> None:
    ix, iy, iw, ih, ticks = _value_axis(pdf, plot, values, unit, bottom_room=6)
    slot = iw / len(values)
    bar_w = min(slot * 0.7, 22)
    scale = ih / (ticks[-1] - ticks[0])
    zero_y = iy + ih + ticks[0] * scale
    pdf.set_fill_color(*PALETTE[0])
    _font(pdf, 7, "", INK)
    show_values = all(pdf.get_string_width(format_number(v, unit)) <= slot - 0.5 for v in values)
    centers = [ix + slot * (i + 0.5) for i in range(len(values))]
    for cx, v in zip(centers, values, strict=False):
        top = zero_y - v * scale
        pdf.rect(cx - bar_w / 2, min(top, zero_y), bar_w, max(abs(v * scale), 0.01), style="F")
        if show_values:
            _text(pdf, cx, top - 2 if v >= 0 else top + 2, format_number(v, unit), "C")
    _x_labels(pdf, centers, labels, slot, iy + ih + 3.5, (plot[0], ix + iw), keep=12)


def _hbar(pdf: FPDF, plot: tuple[float, float, float, float], labels: list[str], values: list[float],
          unit: str) -> None:
    px, py, pw, ph = plot
    n = len(values)
    row = ph / n
    size = max(5.0, min(8.0, row * 2.2))
    _font(pdf, size, "", INK)
    label_w = min(max(pdf.get_string_width(s) for s in labels) + 2, pw * 0.35)
    value_w = max(pdf.get_string_width(format_number(v, unit)) for v in values) + 2
    low, high = min(0.0, min(values)), max(0.0, max(values))
    span = (high - low) or 1.0
    bx, bw = px + label_w, pw - label_w - value_w
    zero_x = bx + (-low / span) * bw
    bar_h = min(row * 0.7, 8)
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.15)
    pdf.line(zero_x, py, zero_x, py + ph)
    pdf.set_fill_color(*PALETTE[0])
    for i, (label, v) in enumerate(zip(labels, values, strict=False)):
        cy = py + row * (i + 0.5)
        length = v / span * bw
        pdf.rect(min(zero_x, zero_x + length), cy - bar_h / 2, max(abs(length), 0.01), bar_h, style="F")
        _text(pdf, px + label_w - 2, cy, _fit(pdf, label, label_w - 2), "R")
        end = zero_x + max(length, 0.0)
        _text(pdf, end + 1.5, cy, format_number(v, unit))


def _funnel(pdf: FPDF, plot: tuple[float, float, float, float], labels: list[str], values: list[float],
            unit: str) -> None:
    px, py, pw, ph = plot
    steps = [max(v, 0.0) for v in values]
    row = ph / len(steps)
    size = max(5.5, min(8.5, row * 2.0))
    _font(pdf, size, "", INK)
    label_w = min(max(pdf.get_string_width(s) for s in labels) + 3, pw * 0.3)
    bx, bw = px + label_w, pw - label_w
    cx = bx + bw / 2
    widest = max(steps) or 1.0
    bar_h = min(row * 0.8, 12)
    first = steps[0]
    for i, (label, v) in enumerate(zip(labels, steps, strict=False)):
        cy = py + row * (i + 0.5)
        width = max(v / widest * bw * 0.9, 0.5)
        pdf.set_fill_color(*PALETTE[i % len(PALETTE)])
        pdf.rect(cx - width / 2, cy - bar_h / 2, width, bar_h, style="F")
        _font(pdf, size, "", INK)
        _text(pdf, bx - 3, cy, _fit(pdf, label, label_w - 3), "R")
        share = f"{v / first * 100:.1f}%" if first > 0 else "n/a"
        caption = f"{format_number(v, unit)} ({share})"
        _font(pdf, size, "B", INK)
        if pdf.get_string_width(caption) + 2 <= width:
            pdf.set_text_color(255, 255, 255)
            _text(pdf, cx, cy, caption, "C")
        else:
            _text(pdf, cx + width / 2 + 1.5, cy, caption)


def _line(pdf: FPDF, plot: tuple[float, float, float, float], labels: list[str], values: list[float],
          unit: str) -> None:
    ix, iy, iw, ih, ticks = _value_axis(pdf, plot, values, unit, bottom_room=6)
    scale = ih / (ticks[-1] - ticks[0])
    n = len(values)
    pad = min(4.0, iw / (2 * n))
    step_x = (iw - 2 * pad) / (n - 1) if n > 1 else 0.0
    points = [(ix + pad + i * step_x if n > 1 else ix + iw / 2, iy + ih - (v - ticks[0]) * scale)
              for i, v in enumerate(values)]
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.15)
    pdf.line(ix, iy + ih, ix + iw, iy + ih)
    color = PALETTE[0]
    pdf.set_draw_color(*color)
    pdf.set_fill_color(*color)
    pdf.set_line_width(0.5)
    if n > 1:
        pdf.polyline(points, style="D")
    radius = 0.9 if n <= 40 else 0.5
    for px_, py_ in points:
        pdf.circle(px_, py_, radius, style="F")
    pdf.set_line_width(0.2)
    if n <= 12:
        _font(pdf, 6.5, "", INK)
        for (px_, py_), v in zip(points, values, strict=False):
            _text(pdf, px_, py_ - 2.5, format_number(v, unit), "C")
    xs = [p[0] for p in points]
    # Time-axis ticks are useless cut short, so thin them out rather than shorten them.
    _x_labels(pdf, xs, labels, step_x if n > 1 else iw, iy + ih + 3.5, (plot[0], ix + iw), keep=30)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return f"{float(value):,.2f}".rstrip("0").rstrip(".") if math.isfinite(value) else "-"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return to_latin1(value).replace("\n", " ")


def _column_widths(natural: list[float], available: float) -> list[float]:
    """Narrow columns keep their natural width; wide ones share what is left, in proportion to their content."""
    widths = list(natural)
    fixed: set[int] = set()
    while True:
        free = [i for i in range(len(widths)) if i not in fixed]
        room = available - sum(widths[i] for i in fixed)
        total = sum(natural[i] for i in free)
        if not free or total <= room:
            break
        fair = room / len(free)
        narrow = [i for i in free if natural[i] <= fair]
        if not narrow:
            for i in free:
                widths[i] = natural[i] / total * room
            return widths
        fixed.update(narrow)
    spare = available - sum(widths)
    return [w + spare * w / sum(widths) for w in widths]


def _table(pdf: FPDF, table: Table) -> None:
    _ensure_room(pdf, 7 + 2 * TABLE_ROW_H)
    _font(pdf, 10, "B")
    pdf.cell(pdf.epw, 7, _fit(pdf, table.title, pdf.epw), new_x="LMARGIN", new_y="NEXT")
    if not table.columns:
        _no_data(pdf)
        pdf.ln(BLOCK_GAP)
        return
    ncols = len(table.columns)
    header = [to_latin1(c) for c in table.columns]
    rows = [[_cell_text(v) for v in list(r)[:ncols]] + [""] * (ncols - len(r)) for r in table.rows]
    numeric = [bool(table.rows) and all(isinstance(r[i], numbers.Real) and not isinstance(r[i], bool)
                                        for r in table.rows if i < len(r) and r[i] is not None)
               for i in range(ncols)]
    _font(pdf, 8, "B")
    text_w = [pdf.get_string_width(h) for h in header]
    _font(pdf, 8)
    for r in rows:
        text_w = [max(t, pdf.get_string_width(c)) for t, c in zip(text_w, r, strict=False)]
    # Many columns: a smaller font (down to 6 pt) before cutting cells short.
    natural_total = sum(max(t + 2 * CELL_PAD + 1, 12.0) for t in text_w)
    size = min(8.0, max(6.0, 8.0 * pdf.epw / natural_total))
    natural = [max(t * size / 8 + 2 * CELL_PAD + 1, 12.0 * size / 8) for t in text_w]
    widths = _column_widths(natural, pdf.epw)

    pdf.c_margin = CELL_PAD

    def draw_header() -> None:
        _font(pdf, size, "B")
        pdf.set_fill_color(*HEADER_FILL)
        pdf.set_draw_color(*FRAME)
        for h, w, num in zip(header, widths, numeric, strict=False):
            pdf.cell(w, TABLE_ROW_H, _fit(pdf, h, w - 2 * CELL_PAD), border=1, fill=True, align="R" if num else "L")
        pdf.ln(TABLE_ROW_H)

    draw_header()
    if not rows:
        _no_data(pdf)
    for index, r in enumerate(rows):
        if pdf.get_y() + TABLE_ROW_H > pdf.page_break_trigger:
            pdf.add_page()
            draw_header()
        _font(pdf, size)
        pdf.set_fill_color(*(ZEBRA if index % 2 else (255, 255, 255)))
        for text, w, num in zip(r, widths, numeric, strict=False):
            pdf.cell(w, TABLE_ROW_H, _fit(pdf, text, w - 2 * CELL_PAD), border="LR", fill=True,
                     align="R" if num else "L")
        pdf.ln(TABLE_ROW_H)
        last_on_page = pdf.get_y() + TABLE_ROW_H > pdf.page_break_trigger
        if index == len(rows) - 1 or last_on_page:
            pdf.line(MARGIN, pdf.get_y(), MARGIN + sum(widths), pdf.get_y())
    pdf.c_margin = 0
    pdf.ln(BLOCK_GAP)
