"""Map marker symbols as SVG, drawn the same on the map and in its legend, with no network:
the map's IconLayer reads them from one atlas image (a `data:` URL), the legend shows each as an
`<img>` of its own `data:` URL. Shapes are drawn in a 64-unit box with a light edge so that
markers stand out on the light page and the dark screen alike.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from functools import lru_cache

BOX = 64  # SVG units of one symbol
CELL_PX = 128  # pixels of one symbol in the atlas: sharp up to 64-pixel markers at scale 2
EDGE = (255, 255, 255)
EDGE_WIDTH = 5.0

# shape → SVG element drawn inside the 64-unit box, centred on (32, 32).
SHAPES = {
    "circle": '<circle cx="32" cy="32" r="28.5"/>',
    "square": '<rect x="7" y="7" width="50" height="50"/>',
    "triangle": '<polygon points="32,3.5 61,58 3,58"/>',
    "diamond": '<polygon points="32,2.5 61.5,32 32,61.5 2.5,32"/>',
}


def rgb(colour: tuple[int, ...]) -> str:
    return f"rgb({colour[0]},{colour[1]},{colour[2]})"


def _shape(shape: str, fill: tuple[int, ...]) -> str:
    return (f'<g fill="{rgb(fill)}" stroke="{rgb(EDGE)}" stroke-width="{EDGE_WIDTH}" '
            f'stroke-linejoin="round">{SHAPES[shape]}</g>')


def svg_data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def symbol_svg(shape: str, fill: tuple[int, ...]) -> str:
    """One marker symbol as a standalone SVG document."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{CELL_PX}" height="{CELL_PX}" '
            f'viewBox="0 0 {BOX} {BOX}">{_shape(shape, fill)}</svg>')


def ring_svg(colour: tuple[int, ...], *, fill_alpha: float = 0.0, text: str = "",
             width: float = 7.0) -> str:
    """A ring (the overdue mark, a numbered nearest marker) or, with `fill_alpha=1` and no
    text, a disc with a light edge (the start point of a search)."""
    label = (f'<text x="32" y="33" text-anchor="middle" dominant-baseline="central" '
             f'font-family="sans-serif" font-size="34" font-weight="700" fill="rgb(20,20,20)">'
             f'{text}</text>') if text else ""
    fill = f'fill="{rgb(colour)}" fill-opacity="{fill_alpha}"' if fill_alpha else 'fill="none"'
    stroke = rgb(EDGE) if fill_alpha >= 1 else rgb(colour)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{CELL_PX}" height="{CELL_PX}" '
            f'viewBox="0 0 {BOX} {BOX}"><circle cx="32" cy="32" r="{28 - width / 2 + 2}" '
            f'{fill} stroke="{stroke}" stroke-width="{width}"/>{label}</svg>')


@lru_cache(maxsize=4)
def _atlas(icons: tuple[tuple[str, str, tuple[int, ...]], ...]) -> tuple[str, dict]:
    cells = "".join(f'<g transform="translate({BOX * i},0)">{_shape(shape, fill)}</g>'
                    for i, (_, shape, fill) in enumerate(icons))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{CELL_PX * len(icons)}" '
           f'height="{CELL_PX}" viewBox="0 0 {BOX * len(icons)} {BOX}">{cells}</svg>')
    mapping = {key: {"x": CELL_PX * i, "y": 0, "width": CELL_PX, "height": CELL_PX,
                     "anchorY": CELL_PX // 2, "mask": False}
               for i, (key, _, _) in enumerate(icons)}
    return svg_data_url(svg), mapping


def icon_atlas(icons: Mapping[str, tuple[str, tuple[int, ...]]]) -> tuple[str, dict]:
    """(the atlas as a `data:` URL, deck.gl's icon mapping) for {icon key: (shape, colour)},
    the icons side by side in one row."""
    return _atlas(tuple((key, shape, tuple(fill)) for key, (shape, fill) in icons.items()))
