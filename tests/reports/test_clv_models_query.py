"""The customers page's model table after a night that kept the last CLV validation."""

from datetime import datetime

import duckdb

from reports.pages.customers.clv_queries import clv_models

VALIDATED, KEPT = datetime(2026, 12, 6, 2), datetime(2026, 12, 7, 2)


def test_a_kept_night_shows_the_last_validation_beside_its_refit():
    """Bug caught: the page reading only the latest run's rows, which after a kept night
    are the two full refits, so the holdout comparison, the flags and the verdict's
    evidence vanished for six nights a week."""
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        "create table marts.clv_model (model varchar, fit_window varchar, run_at timestamp)"
    )
    rows = [
        *((model, "calibration", VALIDATED) for model in ("bgnbd", "pareto_nbd", "gamma_gamma")),
        *((model, "full", run) for run in (VALIDATED, KEPT) for model in ("bgnbd", "gamma_gamma")),
    ]
    con.executemany("insert into marts.clv_model values (?, ?, ?)", rows)
    assert clv_models(con).rows() == [
        ("bgnbd", "calibration", VALIDATED),
        ("gamma_gamma", "calibration", VALIDATED),
        ("pareto_nbd", "calibration", VALIDATED),
        ("bgnbd", "full", KEPT),
        ("gamma_gamma", "full", KEPT),
    ]
