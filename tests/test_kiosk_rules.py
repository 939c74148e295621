"""Meeting-room screen timing: settings from the URL, rotation and refresh periods."""

from __future__ import annotations

from ui.kiosk import (
    DEFAULT_REFRESH_MIN,
    DEFAULT_ROTATE_S,
    KioskSettings,
    parse_kiosk,
    refresh_epoch,
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


def test_scale_for_big_screens_is_bounded():
    assert parse_kiosk({"kiosk": "1"}).scale == 1.0
    assert parse_kiosk({"kiosk": "1", "scale": "2"}).scale == 2.0
    assert parse_kiosk({"kiosk": "1", "scale": "9"}).scale == 3.0
    assert parse_kiosk({"kiosk": "1", "scale": "0.2"}).scale == 1.0
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
