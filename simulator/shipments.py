"""The shipments export: one row per delivered parcel, from the simulated deliveries.

A carrier's tracking export lists parcels on the day they were delivered, so each file is
a delivery day; parcels still in transit after the last simulated day are not exported.
Parcels leave the warehouse at 16:00 (or two hours after a later order) and are delivered
at 12:00 (shop local time); the
carrier follows the destination: Royal Mail in the UK, DHL in the rest of Europe, FedEx
elsewhere.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from simulator.feedback import EUROPE


def shipments_export(deliveries: pl.DataFrame, last_day: date) -> pl.DataFrame:
    """Shipments contract rows for the deliveries made by `last_day`.

    Args:
        deliveries: from :func:`simulator.feedback.simulate_deliveries` (order_id, country,
            shipped_on, promised_on, delivered_on).
        last_day: the last day of the simulation.

    Returns:
        order_id, shipped_at, delivered_at, promised_date, carrier, region; sorted by
        delivery time, then order.
    """
    country = pl.col("country").fill_null("Unknown")
    return (
        deliveries.filter(pl.col("delivered_on") <= last_day)
        .select(
            "order_id",
            # an order placed late in the day cannot leave at 16:00 that day: two hours' picking
            pl.max_horizontal(
                pl.col("shipped_on").cast(pl.Datetime("us")) + pl.duration(hours=16),
                pl.col("ordered_at") + pl.duration(hours=2),
            ).alias("shipped_at"),
            (pl.col("delivered_on").cast(pl.Datetime("us")) + pl.duration(hours=12)).alias(
                "delivered_at"
            ),
            pl.col("promised_on").alias("promised_date"),
            pl.when(country == "United Kingdom")
            .then(pl.lit("Royal Mail"))
            .when(country.is_in(EUROPE))
            .then(pl.lit("DHL"))
            .otherwise(pl.lit("FedEx"))
            .alias("carrier"),
            country.alias("region"),
        )
        .sort("delivered_at", "order_id")
    )


def shipments_truth(shipments: pl.DataFrame) -> dict:
    """Counts of the exported parcels and of those delivered after the promised day."""
    late = shipments.filter(pl.col("delivered_at").dt.date() > pl.col("promised_date")).height
    return {
        "exported": shipments.height,
        "late": late,
        "late_share": round(late / shipments.height, 6) if shipments.height else None,
    }
