"""The per-customer summary the CLV models fit: frequency, recency, age and mean repeat spend.

Conventions (the literature's, as in Fader, Hardie & Lee 2005 on CDNOW):

- A **transaction** is a purchase day: all of a customer's placed orders on one calendar
  day are one transaction, their values summed. A one-day burst of several orders is one
  purchase occasion, and the models' Poisson purchase process has no room for bursts.
- **frequency** is the number of repeat transactions (purchase days after the first) up to
  the calibration end; **recency** the time from the first to the last purchase day;
  **T** (age) the time from the first purchase day to the calibration end. Times are
  calendar days divided by the length of the time unit (D = 1, W = 7, M = 365.25 / 12),
  so CDNOW's recency 30.43 weeks is 213 days.
- A purchase is a line with status `placed` and a positive quantity. Zero-value purchases
  still count as transactions (the customer came back); their zero spend lowers the mean.
- Refunds and cancellations (lines with a negative quantity) are not transactions; the
  share of the customer's calibration sales they reverse scales down the mean repeat spend
  (clipped to 0..1), so a customer who returns half of what they buy is worth half.
  Whole orders marked cancelled or returned with positive quantities never were sales.
- Guest orders (no customer key) cannot be followed over time: left out and counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from forecasting.stable_sums import stable_mean, stable_sum

UNIT_DAYS: dict[str, float] = {"D": 1.0, "W": 7.0, "M": 365.25 / 12}
ORDER_LINE_COLUMNS = (
    "customer_key",
    "order_id",
    "order_date",
    "quantity",
    "order_status",
    "line_amount",
)


@dataclass(frozen=True)
class ClvSummary:
    """The calibration summary of every customer whose first purchase is on or before the
    calibration end, with their holdout repeat transactions.

    customers columns: customer_key, first_purchase (Date), frequency, recency, T,
    monetary_value (mean repeat spend, net of refunds; 0 without repeats),
    holdout_frequency (purchase days in the holdout), holdout_spend (mean spend of those
    days, NULL without any). Times in `time_unit`s.
    repeat_purchases: customer_key, order_date of every repeat purchase day of those
    customers up to the holdout end (for period-by-period tracking).
    """

    customers: pl.DataFrame
    repeat_purchases: pl.DataFrame
    calibration_end: date
    holdout_end: date
    time_unit: str
    holdout_length: float  # in time units
    guest_orders: int  # placed orders without a customer key, left out
    calibration_transactions: int  # repeat transactions in the calibration period
    holdout_transactions: int  # repeat transactions of these customers in the holdout


# What `purchase_days` returns: the purchase days and the number of guest orders left out.
PurchaseDays = tuple[pl.DataFrame, int]


def unit_days(time_unit: str) -> float:
    """Days per time unit; a clear error for anything but D, W or M."""
    if time_unit not in UNIT_DAYS:
        raise ValueError(
            f"clv time_unit {time_unit!r} is not one of {sorted(UNIT_DAYS)}; set clv.time_unit"
        )
    return UNIT_DAYS[time_unit]


def purchase_days(order_lines: pl.DataFrame) -> PurchaseDays:
    """One row per identified customer and purchase day, plus the guest orders left out.

    Args:
        order_lines: staging order lines; needs customer_key (NULL for guests), order_id,
            order_date (Date), quantity, order_status and line_amount.

    Returns:
        (frame of customer_key, order_date, spend (sum of the day's placed lines),
        reversed (the day's refunds and cancellations as a positive amount, 0 on most days);
        number of distinct placed orders without a customer key).
    """
    missing = [c for c in ORDER_LINE_COLUMNS if c not in order_lines.columns]
    if missing:
        raise ValueError(
            f"clv summary: order lines lack column(s) {missing}; pass staging.stg_order_lines"
        )
    is_sale = (pl.col("order_status") == "placed") & (pl.col("quantity") > 0)
    guests = order_lines.filter(pl.col("customer_key").is_null() & is_sale)["order_id"].n_unique()
    days = (
        order_lines.filter(pl.col("customer_key").is_not_null())
        .group_by("customer_key", "order_date")
        .agg(
            spend=stable_sum(pl.col("line_amount").filter(is_sale)).cast(pl.Float64),
            reversed=(-stable_sum(pl.col("line_amount").filter(pl.col("quantity") < 0))).cast(
                pl.Float64
            ),
            is_purchase=is_sale.any(),
        )
    )
    return days, guests


def clv_summary(
    order_lines: pl.DataFrame, calibration_end: date, holdout_end: date, time_unit: str
) -> ClvSummary:
    """Summarise order lines for the CLV models with a calibration / holdout split.

    Args:
        order_lines: staging order lines (see `purchase_days`).
        calibration_end: last day of the calibration period (inclusive).
        holdout_end: last day of the holdout period (inclusive); equal to calibration_end
            for a fit on the whole history without holdout.
        time_unit: D, W or M.

    Returns:
        The ClvSummary of customers first seen on or before calibration_end.
    """
    return summarise(*purchase_days(order_lines), calibration_end, holdout_end, time_unit)


def summarise(
    days: pl.DataFrame, guests: int, calibration_end: date, holdout_end: date, time_unit: str
) -> ClvSummary:
    """`clv_summary` from the purchase days and guest orders `purchase_days` returns, so a
    run that needs the calibration and the full summary groups its order lines once."""
    if holdout_end < calibration_end:
        raise ValueError(
            f"clv: holdout_end {holdout_end} is before calibration_end {calibration_end}; fix the clv settings"
        )
    days_per_unit = unit_days(time_unit)
    purchases = days.filter(pl.col("is_purchase") & (pl.col("order_date") <= holdout_end))
    first = purchases.group_by("customer_key").agg(first_purchase=pl.col("order_date").min())
    cohort = first.filter(pl.col("first_purchase") <= calibration_end)
    calibration = days.filter(pl.col("order_date") <= calibration_end).join(
        cohort, on="customer_key"
    )
    refund_share = calibration.group_by("customer_key").agg(
        kept=pl.when(stable_sum("spend") > 0)
        .then((1 - stable_sum("reversed") / stable_sum("spend")).clip(0, 1))
        .otherwise(1.0)
    )
    cohort_purchases = purchases.join(cohort, on="customer_key")
    customers = _customer_table(cohort_purchases, refund_share, calibration_end, days_per_unit)
    return ClvSummary(
        customers=customers,
        repeat_purchases=cohort_purchases.filter(
            pl.col("order_date") > pl.col("first_purchase")
        ).select("customer_key", "order_date"),
        calibration_end=calibration_end,
        holdout_end=holdout_end,
        time_unit=time_unit,
        holdout_length=(holdout_end - calibration_end).days / days_per_unit,
        guest_orders=guests,
        calibration_transactions=int(customers["frequency"].sum()),
        holdout_transactions=int(customers["holdout_frequency"].sum()),
    )


def _customer_table(
    cohort_purchases: pl.DataFrame,
    refund_share: pl.DataFrame,
    calibration_end: date,
    days_per_unit: float,
) -> pl.DataFrame:
    """One row per cohort customer: frequency, recency, T and monetary value in the
    calibration period, and the purchases and their mean spend in the holdout."""
    in_calibration = pl.col("order_date") <= calibration_end
    is_repeat = pl.col("order_date") > pl.col("first_purchase")
    stats = (
        cohort_purchases.group_by("customer_key")
        .agg(
            pl.col("first_purchase").first(),
            frequency=(in_calibration & is_repeat).sum(),
            last_purchase=pl.col("order_date").filter(in_calibration).max(),
            repeat_spend=stable_mean(pl.col("spend").filter(in_calibration & is_repeat)),
            holdout_frequency=(~in_calibration).sum(),
            holdout_spend=stable_mean(pl.col("spend").filter(~in_calibration)),
        )
        .join(refund_share, on="customer_key", how="left")
    )
    return stats.select(
        "customer_key",
        "first_purchase",
        pl.col("frequency").cast(pl.Int64),
        (
            (pl.col("last_purchase") - pl.col("first_purchase")).dt.total_days() / days_per_unit
        ).alias("recency"),
        (
            (pl.lit(calibration_end) - pl.col("first_purchase")).dt.total_days() / days_per_unit
        ).alias("T"),
        (pl.col("repeat_spend").fill_null(0.0) * pl.col("kept").fill_null(1.0)).alias(
            "monetary_value"
        ),
        pl.col("holdout_frequency").cast(pl.Int64),
        pl.col("holdout_spend").cast(pl.Float64),
    ).sort("customer_key")
