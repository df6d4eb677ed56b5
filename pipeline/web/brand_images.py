"""The site's raster images, drawn at build time from its source assets: favicon.ico, apple-touch-icon.png, the
small images of the home page's edition cards, and the default share image (the site name on the brand colour, for records and pages without an image of their
own). The site name comes from `assets/zlhcg/wordmark.svg` (glyph outlines), so no font needs to be installed
and every machine draws the same bytes. Pillow draws; nothing here touches disk.
"""

from __future__ import annotations

import io
import math
import re

from PIL import Image, ImageChops, ImageDraw

BRAND = (183, 28, 28)  # #b71c1c, the theme's primary colour
GOLD = (212, 160, 23)
WHITE = (255, 255, 255)
SUPERSAMPLE = 4

_TOKEN = re.compile(r"[MLHVCQZmlhvcqz]|-?\d*\.?\d+(?:e-?\d+)?")
_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')
_PATH = re.compile(r'<path d="([^"]+)"')


def _flatten(d: str, steps: int = 8) -> list[list[tuple[float, float]]]:
    """An SVG path of absolute M/L/H/V/C/Q/Z commands (what fontTools' SVGPathPen writes) as polygons."""
    tokens = _TOKEN.findall(d)
    contours: list[list[tuple[float, float]]] = []
    point, command, i = (0.0, 0.0), "M", 0

    def numbers(n: int) -> list[float]:
        nonlocal i
        values = [float(t) for t in tokens[i:i + n]]
        i += n
        return values

    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "Zz":
                continue
        if command == "M":
            point = tuple(numbers(2))
            contours.append([point])
            command = "L"  # further pairs after M are lines
        elif command == "L":
            point = tuple(numbers(2))
            contours[-1].append(point)
        elif command == "H":
            point = (numbers(1)[0], point[1])
            contours[-1].append(point)
        elif command == "V":
            point = (point[0], numbers(1)[0])
            contours[-1].append(point)
        elif command in "CQ":
            values = numbers(6 if command == "C" else 4)
            controls = [point] + [tuple(values[k:k + 2]) for k in range(0, len(values), 2)]
            contours[-1].extend(_bezier(controls, t / steps) for t in range(1, steps + 1))
            point = controls[-1]
        else:
            raise ValueError(f"unsupported path command {command!r}")
    return contours


def _bezier(points: list[tuple[float, float]], t: float) -> tuple[float, float]:
    while len(points) > 1:
        points = [(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t) for a, b in zip(points, points[1:])]
    return points[0]


def _fill_even_odd(size: tuple[int, int], contours, transform) -> Image.Image:
    """A mask of the contours filled with the even-odd rule (holes in 果, 里 … stay open)."""
    mask = Image.new("1", size, 0)
    for contour in contours:
        layer = Image.new("1", size, 0)
        ImageDraw.Draw(layer).polygon([transform(p) for p in contour], fill=1)
        mask = ImageChops.logical_xor(mask, layer)
    return mask.convert("L")


def wordmark_mask(svg: str, height: int) -> Image.Image:
    """The wordmark drawn `height` pixels high (antialiased by supersampling)."""
    box_w, box_h = (float(v) for v in _VIEWBOX.search(svg).groups())
    scale = height * SUPERSAMPLE / box_h
    size = (math.ceil(box_w * scale), height * SUPERSAMPLE)
    contours = [c for d in _PATH.findall(svg) for c in _flatten(d)]
    mask = _fill_even_odd(size, contours, lambda p: (p[0] * scale, p[1] * scale))
    return mask.resize((size[0] // SUPERSAMPLE, height), Image.LANCZOS)


def _mark(size: int) -> Image.Image:
    """The logo (assets/zlhcg/logo.svg, same 32-unit geometry): a gold star over two red waves, on white."""
    big = size * SUPERSAMPLE
    unit = big / 32
    image = Image.new("RGB", (big, big), BRAND)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=7 * unit, fill=WHITE)
    star = [(16 + r * math.sin(math.pi * k / 5), 11.5 - r * math.cos(math.pi * k / 5))
            for k, r in zip(range(10), [8.2, 3.6] * 5)]
    draw.polygon([(x * unit, y * unit) for x, y in star], fill=GOLD)
    for y0, colour in ((21.5, BRAND), (26.5, (219, 150, 150))):
        wave = [(x, y0 - 1.6 * math.sin((x - 5) / 9.4 * math.pi)) for x in [5 + k * 0.5 for k in range(45)]]
        draw.line([(x * unit, y * unit) for x, y in wave], fill=colour, width=round(2.4 * unit), joint="curve")
    return image.resize((size, size), Image.LANCZOS)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def share_image(wordmark_svg: str, tagline_svg: str | None = None) -> bytes:
    """1200×630 (the size sharing cards use): the mark and the site name in white on the brand colour."""
    image = Image.new("RGB", (1200, 630), BRAND)
    image.paste(_mark(200), (120, 215))
    name = wordmark_mask(wordmark_svg, 150)
    image.paste(Image.new("RGB", name.size, WHITE), (370, 240), name)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 590, 1200, 630), fill=(127, 0, 0))
    return _png(image)


def card_image(source: bytes, width: int) -> bytes:
    """A record image made small for a card: `width` pixels wide, 16:9 from its centre, JPEG (a 25 KB PNG
    becomes a few KB)."""
    image = Image.open(io.BytesIO(source)).convert("RGB")
    height = width * 9 // 16
    scale = max(width / image.width, height / image.height)
    image = image.resize((max(width, round(image.width * scale)), max(height, round(image.height * scale))), Image.LANCZOS)
    left, top = (image.width - width) // 2, (image.height - height) // 2
    out = io.BytesIO()
    image.crop((left, top, left + width, top + height)).save(out, format="JPEG", quality=66, optimize=True)
    return out.getvalue()


def apple_touch_icon() -> bytes:
    return _png(_mark(180))


def favicon_ico() -> bytes:
    out = io.BytesIO()
    _mark(48).save(out, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return out.getvalue()
