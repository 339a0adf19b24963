"""Daily end-of-day stock per product SKU under the simulated shop's (s, S) policy.

The real net daily sales (all order lines, cancellations give stock back) are replayed
against a stock ledger, one day at a time for all SKUs at once:

1. receipts due today arrive (``on_order`` falls);
2. the day's sales leave. The real shop did sell them, so a shortfall is covered by an
   expedited receipt that morning that also restores the stock position to S, in whole
   packs (counted in the truth as emergency receipts);
3. review: when on_hand + on_order <= s, order up to S in whole packs (at least the MOQ),
   ``s = mu (L + 7) + 1.65 sigma sqrt(L + 7)`` and ``S = s + max(21 mu, moq)``, with mu the
   SKU's mean daily sales over the 8 weeks around the day (the merchandiser's forecast),
   sigma its daily standard deviation over the range and L the catalog lead time. Each
   purchase order arrives after ``round(Normal(L, lead_time_std))`` days (at least 1).

Every SKU starts with ``max(S, mu_first (L + 28), moq)`` units, ``mu_first`` its mean daily
sales over its first 8 selling weeks. Injected stockouts: for :data:`STOCKOUT_SKU_SHARE`
of the SKUs that have a run of 3-21 days without sales, a stock-count correction writes
the remaining units off at the end of the last sale day before the run, and the
supplier's receipts due in the run arrive late, on the next sale day. ``on_hand`` is then
0 from that day to the end of the run; no sale is lost. Those SKU-days are listed in the
truth; ``stockout_sku_days`` counts every snapshot with ``on_hand == 0``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

REVIEW_DAYS = 7
SAFETY_Z = 1.65
FORECAST_HALF_WINDOW_DAYS = 28
COVER_DAYS = 21
STOCKOUT_SKU_SHARE = 0.05
STOCKOUT_RUN_DAYS = (3, 21)


def _round_up(units: np.ndarray, pack: np.ndarray) -> np.ndarray:
    return (np.ceil(np.maximum(units, 0) / pack) * pack).astype(np.int64)


def _daily_sales(orders: pl.DataFrame, skus: pl.Series, first_day: date, n_days: int) -> np.ndarray:
    net = (
        orders.filter(pl.col("sku").is_in(skus.implode()))
        .group_by("sku", pl.col("ordered_at").dt.date().alias("day"))
        .agg(pl.col("quantity").sum())
    )
    index = pl.DataFrame({"sku": skus}).with_row_index("j")
    net = net.join(index, on="sku").with_columns(
        (pl.col("day") - first_day).dt.total_days().alias("t")
    )
    sales = np.zeros((n_days, skus.len()), dtype=np.int64)
    sales[net["t"].to_numpy(), net["j"].to_numpy()] = net["quantity"].to_numpy()
    return sales


def _stockout_windows(sales: np.ndarray, rng: np.random.Generator) -> list[tuple[int, int, int]]:
    """(sku index, first stockout day, last stockout day) for the injected stockouts."""
    chosen = np.flatnonzero(rng.random(sales.shape[1]) < STOCKOUT_SKU_SHARE)
    windows = []
    for j in chosen:
        selling = np.flatnonzero(sales[:, j] != 0)
        if selling.size < 2:
            continue
        run = np.diff(selling) - 1  # days without sales between two selling days
        fits = np.flatnonzero(
            (run >= STOCKOUT_RUN_DAYS[0])
            & (run <= STOCKOUT_RUN_DAYS[1])
            & (sales[selling[:-1], j] > 0)
        )
        if fits.size:
            i = fits[rng.integers(0, fits.size)]
            windows.append((int(j), int(selling[i]), int(selling[i + 1] - 1)))
    return windows


def simulate_inventory(
    orders: pl.DataFrame,
    catalog: pl.DataFrame,
    first_day: date,
    last_day: date,
    rng: np.random.Generator,
) -> tuple[pl.DataFrame, dict]:
    """End-of-day stock snapshots for every product SKU on every day of the range.

    Args:
        orders: canonical order lines.
        catalog: the simulated catalog (sku, is_product, lead_time_days, lead_time_std_days,
            moq, pack_size).
        first_day: first snapshot day.
        last_day: last snapshot day.
        rng: the simulation's random generator.

    Returns:
        (snapshots sorted by snapshot_date, sku: snapshot_date, sku, on_hand, on_order,
        location ``main``; inventory truth dict).
    """
    products = catalog.filter(pl.col("is_product")).sort("sku")
    n_days = (last_day - first_day).days + 1
    skus = products["sku"]
    sales = _daily_sales(orders, skus, first_day, n_days)
    policy = _StockPolicy.plan(products, sales)
    windows = _stockout_windows(sales, rng)
    on_hand_rows, on_order_rows, counts = _replay_days(sales, policy, windows, rng)

    n = skus.len()
    days = pl.date_range(first_day, last_day, "1d", eager=True)
    snapshots = pl.DataFrame(
        {
            "snapshot_date": days.gather(np.repeat(np.arange(n_days), n)),
            "sku": skus.gather(np.tile(np.arange(n), n_days)),
            "on_hand": on_hand_rows.ravel(),
            "on_order": on_order_rows.ravel(),
        }
    ).with_columns(pl.lit("main").alias("location"))
    injected = [
        {
            "sku": skus[j],
            "first_day": (first_day + timedelta(days=s)).isoformat(),
            "last_day": (first_day + timedelta(days=e)).isoformat(),
            "days": e - s + 1,
        }
        for j, s, e in windows
    ]
    truth = {
        "skus": n,
        "snapshot_rows": snapshots.height,
        "stockout_sku_days": int((on_hand_rows == 0).sum()),
        "stockout_skus_last_day": int((on_hand_rows[-1] == 0).sum()) if n_days else 0,
        "injected_stockouts": injected,
        "injected_stockout_sku_days": sum(w["days"] for w in injected),
        **counts,
    }
    return snapshots, truth


@dataclass(frozen=True)
class _StockPolicy:
    """The shop's replenishment rule per SKU (columns) and day (rows, for the levels)."""

    lead: np.ndarray
    lead_std: np.ndarray
    pack: np.ndarray
    moq: np.ndarray
    mu: np.ndarray  # centred mean daily sales: the shop's "forecast"
    reorder_point: np.ndarray
    order_up_to: np.ndarray
    opening_stock: np.ndarray

    @classmethod
    def plan(cls, products: pl.DataFrame, sales: np.ndarray) -> _StockPolicy:
        n_days, n = sales.shape
        lead = products["lead_time_days"].to_numpy()
        pack = products["pack_size"].to_numpy()
        moq = products["moq"].to_numpy()
        positive = np.maximum(sales, 0).astype(float)
        cumulative = np.vstack([np.zeros((1, n)), np.cumsum(positive, axis=0)])
        t = np.arange(n_days)
        lo = np.maximum(t - FORECAST_HALF_WINDOW_DAYS, 0)
        hi = np.minimum(t + FORECAST_HALF_WINDOW_DAYS, n_days)
        mu = (cumulative[hi] - cumulative[lo]) / (hi - lo)[:, None]
        sigma = positive.std(axis=0)
        reorder_point = mu * (lead + REVIEW_DAYS) + SAFETY_Z * sigma * np.sqrt(lead + REVIEW_DAYS)
        order_up_to = reorder_point + np.maximum(COVER_DAYS * mu, moq)
        # Opening stock: the larger of the first 8 selling weeks' rate over lead + 28 days,
        # the MOQ and the first order-up-to level, in whole packs.
        first_sale = np.where((sales > 0).any(axis=0), np.argmax(sales > 0, axis=0), 0)
        early = (t[:, None] >= first_sale) & (t[:, None] < first_sale + 56)
        mu_first = (positive * early).sum(axis=0) / 56
        opening = _round_up(
            np.maximum(np.maximum(mu_first * (lead + 28), moq), order_up_to[0]), pack
        )
        return cls(
            lead=lead,
            lead_std=products["lead_time_std_days"].to_numpy(),
            pack=pack,
            moq=moq,
            mu=mu,
            reorder_point=reorder_point,
            order_up_to=order_up_to,
            opening_stock=opening,
        )


def _replay_days(
    sales: np.ndarray,
    policy: _StockPolicy,
    windows: list[tuple[int, int, int]],
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Run the days: receive, sell (emergency receipts cover what stock cannot), write off
    the injected stockouts, reorder. Returns end-of-day on hand and on order (days x SKUs)
    and the counts of emergency receipts, their units and the units written off."""
    n_days, n = sales.shape
    lead, lead_std, pack = policy.lead, policy.lead_std, policy.pack
    on_hand = policy.opening_stock.copy()
    on_order = np.zeros(n, dtype=np.int64)
    max_lead = int(np.ceil((lead + 4 * lead_std).max())) + 2 if n else 2
    receipts = np.zeros((n_days + max_lead, n), dtype=np.int64)
    write_off_day = np.full(n, -1)
    late_until = np.full(n, -1)
    for j, start, end in windows:
        write_off_day[j], late_until[j] = start, end
    on_hand_rows = np.empty((n_days, n), dtype=np.int64)
    on_order_rows = np.empty((n_days, n), dtype=np.int64)
    emergency_receipts = emergency_units = written_off = 0
    for day in range(n_days):
        delayed = (write_off_day < day) & (day <= late_until)
        receipts[late_until[delayed] + 1, np.flatnonzero(delayed)] += receipts[day, delayed]
        receipts[day, delayed] = 0
        on_hand += receipts[day]
        on_order -= receipts[day]
        short = sales[day] > on_hand
        emergency = np.where(
            short,
            _round_up(
                sales[day] - on_hand + np.maximum(policy.order_up_to[day] - on_order, 0), pack
            ),
            0,
        )
        emergency_receipts += int((emergency > 0).sum())
        emergency_units += int(emergency.sum())
        on_hand += emergency - sales[day]
        writes_off = write_off_day == day
        written_off += int(on_hand[writes_off].sum())
        on_hand[writes_off] = 0
        needs = (on_hand + on_order <= policy.reorder_point[day]) & (policy.mu[day] > 0)
        quantity = np.where(
            needs,
            np.maximum(
                _round_up(policy.order_up_to[day] - on_hand - on_order, pack),
                _round_up(policy.moq, pack),
            ),
            0,
        )
        arrival = day + np.maximum(1, np.round(rng.normal(lead, lead_std))).astype(np.int64)
        receipts[np.minimum(arrival, receipts.shape[0] - 1)[needs], np.flatnonzero(needs)] += (
            quantity[needs]
        )
        on_order += quantity
        on_hand_rows[day] = on_hand
        on_order_rows[day] = on_order
    counts = {
        "units_written_off": written_off,
        "emergency_receipts": emergency_receipts,
        "emergency_units": emergency_units,
    }
    return on_hand_rows, on_order_rows, counts
