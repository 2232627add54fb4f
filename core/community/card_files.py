"""The alumni card's files: a PNG image (Pillow) and a card-sized PDF (fpdf2), each with the holder's details and the
QR code (segno) of the card's verification address."""
from __future__ import annotations

import io
import unicodedata
from functools import cache

import segno
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from core.community.cards import CardView

WIDTH, HEIGHT = 1012, 638  # an ID-1 card (85.6 × 54 mm) at 300 dpi
BRAND = (30, 64, 175)
INK = (17, 24, 39)
MUTED = (75, 85, 99)
TITLE = "GlobalConnect · Alumni ID card"
PDF_W, PDF_H = 85.6, 54.0


QR_BORDER = 4


def _qr(url: str, side: int) -> Image.Image:
    """The QR code at the largest whole number of pixels per module that fits `side` (sharp edges scan best)."""
    code = segno.make(url, error="m", micro=False)
    width, _ = code.symbol_size(border=QR_BORDER)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=max(1, side // width), border=QR_BORDER)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


@cache
def _font_file(bold: bool) -> str | None:
    """A Unicode TrueType font from the system's font folders (DejaVu Sans), or None if it is not installed."""
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", 10).path
    except OSError:
        return None


def _unicode() -> bool:
    return bool(_font_file(False) and _font_file(True))


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(_font_file(bold), size) if _unicode() else ImageFont.load_default(size=size)


def _text(value: str) -> str:
    """Without the Unicode font, Pillow's built-in font knows ASCII only: accents are dropped."""
    return value if _unicode() else _fold(value, "ascii")


def _lines(card: CardView) -> list[tuple[str, str]]:
    return [("Batch", str(card.batch_year)), ("Department", card.department or "–"),
            ("Card number", card.card_number), ("Valid until", f"{card.expires_at:%d %B %Y}")]


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """The text cut with "…" so it is at most `width` pixels wide."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def card_png(card: CardView, verify_url: str) -> bytes:
    """The card as a PNG: title band, name, batch, department, number, expiry and the QR on the right."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 96), fill=BRAND)
    draw.text((40, 26), _text(TITLE), font=_font(38, bold=True), fill="white")
    side = 400
    qr = _qr(verify_url, side)
    left, top = WIDTH - 24 - side + (side - qr.width) // 2, 112 + (side - qr.height) // 2
    image.paste(qr, (left, top))
    label_font, value_font = _font(24), _font(32, bold=True)
    caption = "Scan to verify this card"
    draw.text((WIDTH - 24 - side // 2 - draw.textlength(caption, font=label_font) / 2, 112 + side + 14), caption,
              font=label_font, fill=MUTED)
    text_width = WIDTH - side - 24 - 40 - 20
    name = _text(card.name)
    name_font = next((f for f in (_font(size, bold=True) for size in (44, 38, 32))
                      if draw.textlength(name, font=f) <= text_width), _font(32, bold=True))
    draw.text((40, 128), _fit(draw, name, name_font, text_width), font=name_font, fill=INK)
    y = 210
    for label, value in _lines(card):
        draw.text((40, y), label, font=label_font, fill=MUTED)
        draw.text((40, y + 28), _fit(draw, _text(value), value_font, text_width), font=value_font, fill=INK)
        y += 88
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _fold(text: object, charset: str) -> str:
    """The text in a narrow charset: letters lose their accents, anything else becomes "?"."""
    value = str(text).replace("–", "-").replace("·", "-").replace("…", "...")
    folded = unicodedata.normalize("NFKD", value)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return folded.encode(charset, "replace").decode(charset)


def _latin1(text: object) -> str:
    """With the Unicode font the text as it is; the PDF core font (Helvetica) knows Latin-1 only."""
    return str(text) if _unicode() else _fold(text, "latin-1")


def _pdf_fit(pdf: FPDF, text: str, width: float) -> str:
    text = _latin1(text)
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "...") > width:
        text = text[:-1]
    return text.rstrip() + "..."


def card_pdf(card: CardView, verify_url: str) -> bytes:
    """The card as a one-page PDF the size of an ID card, with the same content as the PNG."""
    pdf = FPDF(orientation="L", unit="mm", format=(PDF_H, PDF_W))
    pdf.set_title(f"Alumni card {card.card_number}")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    family = "Helvetica"
    if _unicode():
        pdf.add_font("Card", "", _font_file(False))
        pdf.add_font("Card", "B", _font_file(True))
        family = "Card"
    pdf.add_page()
    pdf.set_fill_color(*BRAND)
    pdf.rect(0, 0, PDF_W, 8, style="F")
    pdf.set_font(family, "B", 9)
    pdf.set_text_color(255, 255, 255)
    pdf.text(3.5, 5.4, _latin1(TITLE))
    side = 31.0
    pdf.image(_qr(verify_url, 400), x=PDF_W - side - 2.5, y=10, w=side, h=side)
    text_width = PDF_W - side - 2.5 - 3.5 - 2
    pdf.set_text_color(*INK)
    pdf.set_font(family, "B", 11)
    pdf.text(3.5, 14.5, _pdf_fit(pdf, card.name, text_width))
    y = 20.5
    for label, value in _lines(card):
        pdf.set_font(family, "", 6)
        pdf.set_text_color(*MUTED)
        pdf.text(3.5, y, _latin1(label))
        pdf.set_font(family, "B", 8)
        pdf.set_text_color(*INK)
        pdf.text(3.5, y + 3.4, _pdf_fit(pdf, value, text_width))
        y += 7.6
    pdf.set_font(family, "", 5.5)
    pdf.set_text_color(*MUTED)
    pdf.text(PDF_W - side - 2.5 + 2.5, 10 + side + 2.5, "Scan to verify this card")
    return bytes(pdf.output())
