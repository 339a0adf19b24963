"""The fit columns of a marts.clv_model row."""

import datetime as dt
import json

import polars as pl

from forecasting.clv.fitting import FitResult
from forecasting.clv.model_rows import model_row
from forecasting.clv.summary import ClvSummary


def test_parameters_are_stored_to_six_decimals():
    """Bug caught: the stored parameters rounded to 5 or 7 decimals instead of 6 (the
    precision the model table and its readers are written for): 0.24345678 is 0.243457."""
    fit = FitResult("BG/NBD", {"r": 0.24345678, "alpha": 4.41444449}, -9.5, 10, 0.1, True, "")
    summary = ClvSummary(
        customers=pl.DataFrame({"customer_key": ["C1"]}),
        repeat_purchases=pl.DataFrame({"customer_key": [], "order_date": []}),
        calibration_end=dt.date(2024, 6, 30),
        holdout_end=dt.date(2024, 12, 31),
        time_unit="week",
        holdout_length=26.0,
        guest_orders=0,
        calibration_transactions=0,
        holdout_transactions=0,
    )
    row = model_row(fit, "BG/NBD", "full", summary, None)
    assert json.loads(row["parameters"]) == {"r": 0.243457, "alpha": 4.414444}
