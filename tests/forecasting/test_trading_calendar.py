"""The trading calendar's week mask and day counts, on weeks checked by hand."""

import datetime as dt

import pytest

from forecasting.trading_calendar import count_trading_days, trading_days_after, week_mask

NO_SATURDAY = (1, 2, 3, 4, 5, 7)


def test_the_mask_has_a_digit_per_iso_weekday_monday_first():
    """Bug: a mask shifted by one (weekday 0 read as Monday) closes the shop on the wrong
    day: closed on Saturdays is 1111101."""
    assert week_mask(NO_SATURDAY) == "1111101"
    assert week_mask((7,)) == "0000001"


@pytest.mark.parametrize("weekdays", [(0, 1, 2), (1, 8), ()])
def test_a_weekday_outside_1_to_7_or_none_at_all_is_refused(weekdays):
    """Bug: weekday 0 (Sunday in a 0-based calendar) or 8 silently dropped from the mask,
    or an empty calendar accepted: the shop would trade on other days than the settings
    say, or on none."""
    with pytest.raises(ValueError, match="ISO weekdays 1"):
        week_mask(weekdays)


def test_days_after_and_between_skip_closed_days():
    """Bug: counting a closed Saturday as a trading day, or the first day itself.
    Friday 2024-01-05: the next three trading days are Sun 7, Mon 8, Tue 9; from Friday
    through Tuesday lie 3 of them; none through the same or an earlier day."""
    friday = dt.date(2024, 1, 5)
    assert trading_days_after(friday, 3, NO_SATURDAY) == [
        dt.date(2024, 1, 7),
        dt.date(2024, 1, 8),
        dt.date(2024, 1, 9),
    ]
    assert count_trading_days(friday, dt.date(2024, 1, 9), NO_SATURDAY) == 3
    assert count_trading_days(friday, friday, NO_SATURDAY) == 0
    assert count_trading_days(friday, dt.date(2024, 1, 1), NO_SATURDAY) == 0
