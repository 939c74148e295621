"""Meeting-room screen timing: settings from the URL, rotation, refresh periods and the daily
reload."""

from __future__ import annotations

import datetime as dt

from ui.kiosk import (
    DEFAULT_REFRESH_MIN,
    DEFAULT_RELOAD_AT,
    DEFAULT_ROTATE_S,
    KioskSettings,
    parse_kiosk,
    parse_reload_at,
    refresh_epoch,
    reload_due,
    view_index,
)


def test_kiosk_is_off_unless_asked_for():
    assert parse_kiosk({}) is None
    assert parse_kiosk({"kiosk": "0"}) is None
    assert parse_kiosk({"rotate": "10"}) is None


def test_kiosk_settings_defaults_clamps_and_bad_values():
    assert parse_kiosk({"kiosk": "1"}) == KioskSettings(DEFAULT_ROTATE_S, DEFAULT_REFRESH_MIN)
    assert parse_kiosk({"kiosk": "1", "rotate": "5", "refresh": "2"}) == KioskSettings(5, 2)
    assert parse_kiosk({"kiosk": "true", "rotate": "1", "refresh": "0"}) == KioskSettings(5, 1)
    assert parse_kiosk({"kiosk": "1", "rotate": "99999"}).rotate_s == 3600
    assert parse_kiosk({"kiosk": "1", "rotate": "abc", "refresh": "1.5"}) == KioskSettings(
        DEFAULT_ROTATE_S, DEFAULT_REFRESH_MIN)


def test_scale_is_bounded_to_small_and_big_screens():
    assert parse_kiosk({"kiosk": "1"}).scale == 1.0
    assert parse_kiosk({"kiosk": "1", "scale": "2"}).scale == 2.0
    assert parse_kiosk({"kiosk": "1", "scale": "9"}).scale == 3.0
    assert parse_kiosk({"kiosk": "1", "scale": "0.71"}).scale == 0.71  # a 1366×768 screen
    assert parse_kiosk({"kiosk": "1", "scale": "0.2"}).scale == 0.7
    assert parse_kiosk({"kiosk": "1", "scale": "nan"}).scale == 1.0
    assert parse_kiosk({"kiosk": "1", "scale": "big"}).scale == 1.0


def test_views_can_be_chosen_by_code():
    known = ("overview", "accidents", "mining")
    assert parse_kiosk({"kiosk": "1", "views": "mining,accidents"}, known).views == (
        "mining", "accidents")
    assert parse_kiosk({"kiosk": "1", "views": "mining,nonsense"}, known).views == ("mining",)
    assert parse_kiosk({"kiosk": "1", "views": "nonsense"}, known).views is None
    assert parse_kiosk({"kiosk": "1"}, known).views is None


def test_views_rotate_once_per_period_and_wrap():
    start = 1_700_000_010  # a multiple of 30 s
    shown = [view_index(start + k * 30, 30, 5) for k in range(7)]
    assert len(set(shown[:5])) == 5
    assert shown[5] == shown[0] and shown[6] == shown[1]
    assert all((b - a) % 5 == 1 for a, b in zip(shown, shown[1:]))


def test_a_timer_firing_early_or_late_still_moves_on_by_one():
    start = 1_700_000_010
    base = view_index(start, 30, 5)
    assert view_index(start + 30 - 2, 30, 5) == (base + 1) % 5
    assert view_index(start + 30 + 2, 30, 5) == (base + 1) % 5
    assert view_index(start + 60 - 3, 30, 5) == (base + 2) % 5


def test_refresh_epoch_changes_once_per_refresh_period():
    start = 1_700_000_100 - 1_700_000_100 % 300
    assert refresh_epoch(start, 5) == refresh_epoch(start + 299, 5)
    assert refresh_epoch(start + 300, 5) == refresh_epoch(start, 5) + 1
    assert refresh_epoch(start + 60, 1) == refresh_epoch(start, 1) + 1


def test_the_daily_reload_time_from_the_url():
    assert parse_kiosk({"kiosk": "1"}).reload_at == DEFAULT_RELOAD_AT == dt.time(3, 0)
    assert parse_kiosk({"kiosk": "1", "reload": "04:30"}).reload_at == dt.time(4, 30)
    assert parse_reload_at("23:59:30") == dt.time(23, 59, 30)
    assert parse_reload_at("7:05") == dt.time(7, 5)
    for off in ("off", "OFF", "none", "0", "false"):
        assert parse_reload_at(off) is None
    for bad in ("3", "25:00", "12:60", "12:00:61", "noon", "1:2", ""):
        assert parse_reload_at(bad) == DEFAULT_RELOAD_AT


def test_the_page_reloads_at_the_first_quiet_hour_after_it_loaded():
    at = dt.time(3, 0)
    loaded = dt.datetime(2022, 11, 25, 10, 0)
    assert not reload_due(loaded, dt.datetime(2022, 11, 26, 2, 59, 59), at)
    assert reload_due(loaded, dt.datetime(2022, 11, 26, 3, 0), at)
    assert reload_due(loaded, dt.datetime(2022, 11, 28, 12, 0), at), "late is still due"
    # Loaded before the hour: the same night; at the hour itself: the next night.
    assert reload_due(dt.datetime(2022, 11, 25, 2, 0), dt.datetime(2022, 11, 25, 3, 0), at)
    just = dt.datetime(2022, 11, 25, 3, 0)
    assert not reload_due(just, dt.datetime(2022, 11, 25, 23, 59), at)
    assert reload_due(just, dt.datetime(2022, 11, 26, 3, 0), at)
    # The reloaded page counts from its own load: once a day, never twice in a night.
    reloaded = dt.datetime(2022, 11, 26, 3, 0, 4)
    assert not reload_due(reloaded, dt.datetime(2022, 11, 26, 3, 0, 34), at)
    assert reload_due(reloaded, dt.datetime(2022, 11, 27, 3, 0), at)
    # Midnight and New Year are days like any other; no reload when switched off.
    assert not reload_due(dt.datetime(2022, 12, 31, 22, 0), dt.datetime(2023, 1, 1, 2, 0), at)
    assert reload_due(dt.datetime(2022, 12, 31, 22, 0), dt.datetime(2023, 1, 1, 3, 0), at)
    assert not reload_due(loaded, dt.datetime(2023, 11, 25, 10, 0), None)
    # The tests' setting: a page so many seconds old reloads, whatever the hour.
    assert not reload_due(loaded, loaded + dt.timedelta(seconds=19), at, after_s=20)
    assert reload_due(loaded, loaded + dt.timedelta(seconds=20), None, after_s=20)
