"""The mean across a row's columns has the bits of the group mean over the same values."""

import numpy as np
import polars as pl

from forecasting.stable_sums import row_median, stable_mean, stable_row_mean


def test_row_mean_has_the_bits_of_the_group_mean_in_column_order():
    """The forecast averages its models across columns and must give the table it gave when
    it averaged them in a group_by: catches a plain sum / count (about 1 row in 5 of 3-5
    values differs in its last bit from polars' compensated group sum), a wrong count when
    a model has no forecast (null), and a mean that is not null when every model failed."""
    rng = np.random.default_rng(7)
    for width in range(1, 6):
        values = rng.gamma(0.5, 3.0, (5_000, width))
        values[rng.random(values.shape) < 0.1] = np.nan
        values[rng.random(values.shape) < 0.1] = 0.0
        columns = [f"m{i}" for i in range(width)]
        wide = (
            pl.DataFrame(dict(zip(columns, values.T, strict=True)))
            .with_columns(pl.all().fill_nan(None))
            .with_row_index("row")
        )
        grouped = (
            wide.unpivot(index="row", variable_name="model", value_name="forecast")
            .group_by("row")
            .agg(stable_mean("forecast", by="model"))
            .sort("row")["forecast"]
        )
        across = wide.select(stable_row_mean(columns).alias("forecast"))["forecast"]
        assert across.is_null().to_list() == grouped.is_null().to_list()
        bits = [across.fill_null(-1.0).to_numpy().view("u8"), grouped.fill_null(-1.0).to_numpy()]
        assert (bits[0] == bits[1].view("u8")).all(), f"{width} columns"


def test_row_median_has_the_bits_of_polars_list_median():
    """The forecast's median of models moved from polars' list median to numpy and must
    give the same table: catches ``(lower + upper) / 2`` for an even count (polars
    interpolates, lower + (upper - lower) * 0.5: another last bit on about one row in
    five), a null model counted as a value, a median that is not null when every model
    failed, and a sort that reorders -0.0 and 0.0 (polars keeps their order)."""
    rng = np.random.default_rng(11)
    for width in range(1, 7):
        spread = rng.gamma(0.5, 3.0, (5_000, width))
        ties = rng.choice([0.0, -0.0, 1.0, 2.0], (5_000, width))
        for values in (spread, ties):
            values[rng.random(values.shape) < 0.15] = np.nan
            columns = [f"m{i}" for i in range(width)]
            wide = pl.DataFrame(dict(zip(columns, values.T, strict=True))).with_columns(
                pl.all().fill_nan(None)
            )
            expected = wide.select(pl.concat_list(columns).list.median().alias("m"))["m"]
            got = wide.select(row_median(columns).alias("m"))["m"]
            assert got.is_null().to_list() == expected.is_null().to_list()
            bits = [s.fill_null(-1.0).to_numpy().view("u8") for s in (got, expected)]
            assert (bits[0] == bits[1]).all(), f"{width} columns"
