"""The meeting-room screen's theme: type sizes, colours and status marks, in one place.

Type is set in CSS pixels at 1920×1080 and multiplied by the screen's `scale` (2 for a 4K
screen at 100% display scaling). The minimums are what a reader 3–4 m from the screen needs;
`tests/test_screen_browser.py` measures every text element of every view against them. When a
view's content does not fit at these sizes, the view is split, never the type shrunk.

Status is never told by hue alone: every verdict has a word and a shape mark, and the colours
are from the Okabe–Ito set (told apart by people with red–green colour blindness, and by
lightness as well as hue): sky blue for on target, yellow for a warning, vermilion for off
target, grey for no data or no indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

from data_access.accident_rules import Status
from ui.labels import SCORECARD_STATUSES
from ui.theme import NOTICE_BACKGROUND, NOTICE_EDGE, NOTICE_TEXT

# Minimum type sizes (CSS px at 1920×1080, scale 1): the numbers the issue sets for 3–4 m.
TYPE_PX = {
    "headline": 56,  # a tile's number
    "label": 24,     # a tile's label, headings, the header's scope and date
    "chip": 22,      # status chips
    "table": 22,     # table text, chart text
    "minimum": 20,   # anything else that carries meaning (small notes beside a number)
}
# The sizes the screen uses (each at or above its minimum).
SIZE_PX = {
    "title": 36, "headline": 60, "label": 26, "heading": 28, "chip": 23, "table": 23,
    "note": 21, "chart": 22, "clock": 32, "bar": 28, "map_label": 26,
}

BACKGROUND = "#0b1220"
PANEL = "#131c2e"
TEXT = "#e8eef6"
MUTED = "#b4c2d4"  # secondary text, still 9:1 against the background
ACCENT = "#5fb3ff"

# tone → (colour, shape mark). Okabe–Ito sky blue, yellow, vermilion; grey.
TONES = {
    "good": ("#56b4e9", "✔"),
    "warn": ("#f0e442", "▲"),
    "bad": ("#e8743b", "✖"),
    "none": ("#9aa5b1", "—"),
    "wait": ("#cfd8e3", "◷"),  # not yet due (未到期): on track until its deadline
}
TONE_OF_STATUS = {"met": "good", "pending": "wait", "warning": "warn", "missed": "bad",
                  "no_data": "none"}
TONE_OF_COLOUR = {"green": "good", "amber": "warn", "red": "bad", "grey": "none"}
CHIP_TEXT = "#0b1220"  # dark text on every tone (contrast ≥ 6:1)


@dataclass(frozen=True)
class Verdict:
    """A headline tile's or a line's status: tone (a key of TONES) and its word."""
    tone: str
    word: str

    @property
    def colour(self) -> str:
        return TONES[self.tone][0]

    @property
    def mark(self) -> str:
        return TONES[self.tone][1]


def from_scorecard(status: str) -> Verdict:
    """A scorecard status (met, pending, warning, missed, no_data) with its word
    达标/未到期/预警/未达标/无数据."""
    return Verdict(TONE_OF_STATUS[status], SCORECARD_STATUSES[status])


def from_control(status: Status) -> Verdict:
    """An accident control status (正常/预警/超进度/超标/未设定) as on the 事故控制 page."""
    return Verdict(TONE_OF_COLOUR[status.colour], status.label)


def px(size: float, scale: float) -> str:
    return f"{size * scale:.0f}px"


def chip_css(scale: float) -> str:
    """Status chips and tiles coloured by tone, with the tone's shape mark before the word."""
    rules = []
    for tone, (colour, mark) in TONES.items():
        rules.append(
            f".tone-{tone}, .stApp [class*=\"st-key-tile-{tone}-\"] {{ --tone: {colour}; }}\n"
            f".screen-chip.tone-{tone}::before {{ content: '{mark} '; }}")
    for status, tone in TONE_OF_STATUS.items():
        colour, mark = TONES[tone]
        rules.append(
            f".stApp .sc-chip.sc-{status} {{ background: {colour} !important; "
            f"color: {CHIP_TEXT} !important; border-color: {colour} !important; }}\n"
            f".stApp .sc-chip.sc-prev.sc-{status} {{ background: transparent !important; "
            f"color: {colour} !important; }}\n"
            f".stApp .sc-chip.sc-{status}::before {{ content: '{mark} '; }}")
    return "\n".join(rules)


def screen_style(scale: float) -> str:
    """The screen's CSS; `scale` enlarges type and spacing for big screens at 100% scaling."""
    s = {name: px(size, scale) for name, size in SIZE_PX.items()}
    gap = px(14, scale)
    return f"""
<style>
html {{ font-size: {16 * scale:.0f}px !important; }}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stElementToolbar"],
footer {{ display: none !important; }}
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
  background: {BACKGROUND} !important; color: {TEXT}; }}
[data-testid="stMainBlockContainer"] {{ padding: {px(14, scale)} {px(34, scale)} 0 {px(34, scale)}
  !important; max-width: 100% !important; }}
.stApp h1, .stApp h2, .stApp h3, .stApp p, .stApp li, .stApp span, .stApp label,
.stApp [data-testid="stMarkdownContainer"] {{ color: {TEXT}; }}
.stApp h3 {{ font-size: {s["heading"]} !important; padding: 0 0 {px(4, scale)} 0 !important; }}
.stApp [class*="st-key-tile-"] {{ background: {PANEL}; border-radius: {px(10, scale)};
  border-left: {px(12, scale)} solid var(--tone); padding: {px(10, scale)} {px(18, scale)};
  gap: {px(2, scale)}; }}
[data-testid="stMetric"] {{ background: transparent; padding: 0; }}
[data-testid="stMetricLabel"] p {{ font-size: {s["label"]} !important; color: {MUTED} !important;
  line-height: 1.25; }}
[data-testid="stMetricValue"] {{ font-size: {s["headline"]} !important; color: {TEXT} !important;
  line-height: 1.15; }}
[data-testid="stCaptionContainer"] p {{ color: {MUTED} !important; font-size: {s["label"]}; }}
.screen-chip {{ display: inline-block; font-size: {s["chip"]}; font-weight: 700;
  color: {CHIP_TEXT} !important; background: var(--tone); border-radius: {px(8, scale)};
  padding: {px(2, scale)} {px(12, scale)}; margin-top: {px(4, scale)}; }}
.screen-list {{ font-size: {s["label"]}; color: {TEXT}; margin: 0; padding-left: 1.6em; }}
.screen-list li {{ margin: {px(4, scale)} 0; }}
.screen-list li span {{ display: inline-block; min-width: 5.5em; }}
.screen-list li b {{ color: {TONES["bad"][0]}; }}
.screen-note {{ font-size: {s["label"]}; color: {MUTED}; }}
.screen-note b {{ color: {TEXT}; }}
.screen-head {{ display: flex; align-items: baseline; gap: {px(26, scale)};
  margin: 0 0 {px(8, scale)} 0; }}
.screen-head .title {{ font-size: {s["title"]}; font-weight: 700; color: {TEXT}; }}
.screen-head .view {{ font-size: {s["title"]}; font-weight: 700; color: {ACCENT}; }}
.screen-head .asof {{ font-size: {s["label"]}; color: {MUTED}; }}
.screen-head .quality {{ font-size: {s["chip"]}; color: #1b1300; background: #f0c75e;
  border-radius: 6px; padding: 0.1rem 0.6rem; }}
.screen-head .sample {{ font-size: {s["chip"]}; color: #1b1300; background: #f0a500;
  border-radius: 6px; padding: 0.1rem 0.6rem; }}
.stApp .sc-table, .stApp .sc-table td, .stApp .sc-table th {{ color: {TEXT} !important;
  font-size: {s["table"]} !important; line-height: 1.25;
  padding-top: {px(6, scale)} !important; padding-bottom: {px(6, scale)} !important; }}
.stApp .sc-table th {{ color: {MUTED} !important; }}
.stApp .sc-table td.sc-name {{ min-width: 8.5em; }}
.stApp .sc-table td.sc-change {{ white-space: normal; }}
.stApp .sc-table td.sc-num small {{ display: block; margin-left: 0; }}
.stApp .sc-table small {{ font-size: {s["note"]} !important; color: {MUTED} !important; }}
.stApp .sc-table .sc-section td {{ background: #1d2a42 !important; color: {TEXT} !important;
  font-size: {s["table"]} !important; }}
.stApp .sc-chip {{ font-size: {s["chip"]} !important; border-radius: {px(8, scale)};
  padding: {px(1, scale)} {px(10, scale)}; font-weight: 700; }}
{chip_css(scale)}
.screen-failure {{ background: {NOTICE_BACKGROUND}; color: {NOTICE_TEXT} !important;
  font-size: {s["heading"]}; line-height: 1.5; border-left: {px(10, scale)} solid {NOTICE_EDGE};
  border-radius: 10px; padding: 1.1rem 1.6rem; margin: 0.8rem 0; }}
.screen-stale {{ position: fixed; left: 0; right: 0; bottom: 0; z-index: 999990;
  background: {NOTICE_EDGE}; color: {NOTICE_TEXT} !important; font-size: {s["bar"]};
  font-weight: 700; text-align: center; padding: 0.4rem 1rem; }}
[data-testid="stHorizontalBlock"] {{ gap: {gap} !important; }}
/* The one-map view's map stays on the page on the other views, hidden (ui/screen.py). */
[data-testid="stLayoutWrapper"]:has(> .st-key-screen-map .screen-map-off),
.st-key-screen-map:has(.screen-map-off) {{ display: none !important; }}
/* A redraw that waits for the database keeps the figures as they are, not dimmed. */
[data-stale="true"] {{ opacity: 1 !important; }}
</style>
"""
