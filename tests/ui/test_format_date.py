"""Dates in the window under the C locale (what tests, containers and many minimal systems run with) read as ISO
dates; a real locale keeps its own short format (issue 14: dates through QLocale)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from studio.ui import i18n


@pytest.fixture
def default_locale(qapp) -> Iterator[None]:
    before = QLocale()
    yield
    QLocale.setDefault(before)


def test_the_c_locale_shows_iso_dates_not_its_own_short_format(default_locale) -> None:
    QLocale.setDefault(QLocale.c())
    assert QLocale().toString(QDate(2024, 5, 3), QLocale.FormatType.ShortFormat) == "3 05 2024"  # what Qt gives
    assert i18n.format_date(date(2024, 5, 3)) == "2024-05-03"
    assert i18n.format_date(datetime(2024, 5, 3, 14, 2, 9)) == "2024-05-03 14:02"
    assert i18n.format_date(date(2024, 12, 25)) == "2024-12-25"
    # The long form is written out in words already: the C locale's own is readable.
    assert i18n.format_date(date(2024, 5, 3), long=True) == QLocale.c().toString(QDate(2024, 5, 3),
                                                                                 QLocale.FormatType.LongFormat)


@pytest.mark.parametrize("name", ["en_US", "en_GB", "de_DE", "zh_CN"])
def test_a_real_locale_keeps_its_own_short_format(default_locale, name: str) -> None:
    QLocale.setDefault(QLocale(name))
    loc = QLocale(name)
    assert i18n.format_date(date(2024, 5, 3)) == loc.toString(QDate(2024, 5, 3), QLocale.FormatType.ShortFormat)
    when = QDateTime(QDate(2024, 5, 3), QTime(14, 2, 9))
    assert i18n.format_date(datetime(2024, 5, 3, 14, 2, 9)) == loc.toString(when, QLocale.FormatType.ShortFormat)


def test_a_timezone_aware_time_is_shown_on_the_writer_s_clock(default_locale) -> None:
    from datetime import UTC

    QLocale.setDefault(QLocale.c())
    stored = datetime(2024, 5, 3, 14, 2, tzinfo=UTC)
    local = stored.astimezone()
    assert i18n.format_date(stored) == local.strftime("%Y-%m-%d %H:%M")
