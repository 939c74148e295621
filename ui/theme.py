"""One visual language for every figure and status mark."""

from __future__ import annotations

import plotly.graph_objects as go

FONT_FAMILY = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"

STATUS_COLOURS = {"green": "#2e9d5b", "blue": "#1f6fb2", "amber": "#e0a100", "red": "#d64541",
                  "grey": "#8a8f98"}
SERIES_COLOURS = ("#1f6fb2", "#e07b39", "#2e9d5b", "#8e5cc2", "#d64541", "#5aa9c9", "#b38f00")
THIS_YEAR_COLOUR = "#1f6fb2"
LAST_YEAR_COLOUR = "#9aa5b1"
# Notices that must be read at a glance (the stale-data bar, a failure on the screen): near-black
# on light amber, on the light pages and the dark screen alike.
NOTICE_BACKGROUND = "#fff4d6"
NOTICE_EDGE = "#ffc933"
NOTICE_TEXT = "#141414"


def apply_theme(fig: go.Figure, *, height: int = 360, legend: bool = True) -> go.Figure:
    fig.update_layout(
        height=height,
        font={"family": FONT_FAMILY, "size": 14},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        colorway=list(SERIES_COLOURS),
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        separators=".,",
    )
    return fig


# The pages' layout on a laptop (1366×768) or a projector (1280×720) as on 1920×1080: columns
# that would be squeezed below a readable width wrap onto the next line (stack) instead, so a
# metric value is never cut to "…" and no table is narrower than its headers. A container keyed
# "wide-columns" keeps its columns side by side only when each has 36rem (the scorecard's two
# halves); the boxes of a date picker (ui/datepick.py) stay side by side down to 4.5rem each.
# tests/test_layout_browser.py checks every page and tab at the three sizes.
LAYOUT_CSS = """<style>
[data-testid="stMain"] [data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
[data-testid="stMain"] [data-testid="stColumn"] { min-width: min(100%, 13rem); }
[data-testid="stMain"] .st-key-wide-columns [data-testid="stColumn"] {
  min-width: min(100%, 36rem);
}
[data-testid="stMetricLabel"] p { white-space: normal; }
[data-testid="stMain"] [class*="st-key-datepick-"] [data-testid="stColumn"] { min-width: 4.5rem; }
</style>"""
