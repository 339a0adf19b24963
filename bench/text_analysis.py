"""Time and peak memory of the review text analysis (feedback_text/) at 100k and 1M texts.

    .venv/bin/python bench/text_analysis.py [--sizes 100000,1000000] [--seed 0]
    (also the `text` stage of `make bench`)

The texts are the real Women's E-Commerce Clothing Reviews (../shared/data, 22,641 with
text) repeated and perturbed up to the size: each copy drops one random word with
probability 1/2 and gains one of 1,000 made-up words, keeps its rating, and is dated in
one of 52 weeks, with a carrier, region and delivery outcome drawn at random. Where that
folder is absent, the simulator's review sentences stand in. The phases are those of
`build_feedback_tables`, timed one by one with the settings' defaults: the sentiment model
fitted on the newest `max_training_texts` rated texts (held-out measure + refit), every
text scored, themes fitted on the newest `max_theme_fit_texts`, every text assigned, then
the weekly shares, usual ranges and breakdowns. Peak memory is the process's resident
high-water mark during each phase (bench/meter.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from bench.meter import cpu_seconds, peak_rss_mb, since
from config.settings_feedback import FeedbackSettings
from feedback_text.alerts import usual_ranges
from feedback_text.sentiment import fit_sentiment, negative_probability
from feedback_text.themes import assign_themes, fit_themes
from feedback_text.where import theme_breakdown, weekly_themes
from simulator.feedback_wording import BODIES

REVIEWS = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "clothing_reviews"
    / "womens_clothing_reviews.csv"
)
DEFAULT_SIZES = (100_000, 1_000_000)
FIRST_WEEK = dt.date(2024, 1, 1)


def read_clothing_reviews(path: Path) -> pl.DataFrame:
    """text, rating: the Women's Clothing Reviews with a text, title and review joined,
    and their 1-5 star rating."""
    return (
        pl.read_csv(path)
        .filter(pl.col("Review Text").is_not_null())
        .select(
            pl.concat_str(
                [pl.col("Title").fill_null(""), pl.col("Review Text")], separator=". "
            ).alias("text"),
            pl.col("Rating").alias("rating"),
        )
    )


def base_reviews() -> pl.DataFrame:
    """text, rating: the real clothing reviews, or the simulator's sentences."""
    if REVIEWS.exists():
        return read_clothing_reviews(REVIEWS)
    rows = [(text, rating) for rating, texts in BODIES.items() for text in texts]
    return pl.DataFrame(rows, schema=["text", "rating"], orient="row")


def corpus(size: int, seed: int) -> pl.DataFrame:
    """`size` texts in marts.feedback_text's input columns, by repeating and perturbing."""
    rng = np.random.default_rng(seed)
    base = base_reviews()
    pick = rng.integers(0, base.height, size)
    texts = base["text"].to_numpy()[pick]
    drop, extra = rng.random(size) < 0.5, rng.integers(0, 1000, size)
    perturbed = []
    for text, dropped, word in zip(texts, drop, extra, strict=True):
        words = text.split()
        if dropped and len(words) > 3:
            del words[int(word) % len(words)]
        perturbed.append(" ".join(words) + f" zq{word}")
    week = rng.integers(0, 52, size)
    days = week * 7 + rng.integers(0, 7, size)
    submitted = np.datetime64(FIRST_WEEK.isoformat()) + days.astype("timedelta64[D]")
    return pl.DataFrame(
        {
            "feedback_id": [f"B{i:08d}" for i in range(size)],
            "submitted_date": pl.Series(submitted).cast(pl.Date),
            "feedback_type": "review",
            "sku": [f"SKU{i}" for i in rng.integers(0, 500, size)],
            "category": [f"C{i}" for i in rng.integers(0, 12, size)],
            "carrier": np.array(["Royal Mail", "DHL", "DPD", "UPS"])[rng.integers(0, 4, size)],
            "region": np.array(["uk", "europe", "world"])[rng.integers(0, 3, size)],
            "delivery": np.where(rng.random(size) < 0.1, "late", "on time"),
            "rating": base["rating"].to_numpy()[pick],
            "nps_score": pl.Series([None] * size, dtype=pl.Int64),
            "text": perturbed,
        }
    ).with_columns(pl.col("submitted_date").dt.truncate("1w").alias("week"))


def _phase(name: str, phases: dict[str, Any], work):
    started, cpu = time.perf_counter(), cpu_seconds()
    peak_rss_mb(reset=True)
    result = work()
    phases[name] = since(started, cpu)
    print(
        f"    {name}: {phases[name]['wall_s']:.1f} s, peak {phases[name]['peak_mb']:.0f} MB",
        flush=True,
    )
    return result


def bench_size(size: int, seed: int, cfg: FeedbackSettings) -> dict[str, Any]:
    """Every phase of the text analysis on `size` texts: wall, CPU, peak memory."""
    phases: dict[str, Any] = {}
    texts = _phase("corpus", phases, lambda: corpus(size, seed))
    newest = texts.sort(["submitted_date", "feedback_id"], descending=True)
    rated = newest.head(cfg.max_training_texts)
    model = _phase(
        "sentiment fit",
        phases,
        lambda: fit_sentiment(rated["text"].to_list(), (rated["rating"] <= 2).to_numpy()),
    )
    probability = _phase(
        "sentiment score", phases, lambda: negative_probability(model, texts["text"].to_list())
    )
    fit_on = newest.head(cfg.max_theme_fit_texts)["text"].to_list()
    themes = _phase(
        "theme fit",
        phases,
        lambda: fit_themes(fit_on, cfg.theme_counts, dict(cfg.themes), cfg.stop_words),
    )
    index, _ = _phase(
        "theme assign", phases, lambda: assign_themes(themes, texts["text"].to_list())
    )
    ids = np.array([f"theme_{i:02d}" for i in range(themes.count)] + [None], dtype=object)
    catalog = pl.DataFrame({"theme_id": ids[:-1].tolist(), "theme": ids[:-1].tolist()})
    assigned = texts.with_columns(
        pl.Series("theme_id", ids[index].tolist(), pl.String),
        pl.Series("is_negative", probability >= 0.5),
    )
    _phase(
        "where and alerts",
        phases,
        lambda: (
            usual_ranges(weekly_themes(assigned, catalog), cfg),
            theme_breakdown(assigned, catalog),
        ),
    )
    work = [p for name, p in phases.items() if name != "corpus"]
    return {
        "texts": size,
        "held_out_auc": model.held_out_auc,
        "themes": themes.count,
        "phases": phases,
        "wall_s": sum(p["wall_s"] for p in work),
        "cpu_s": sum(p["cpu_s"] for p in work),
        "peak_mb": max(p["peak_mb"] for p in work),
    }


def format_text_bench(results: list[dict[str, Any]]) -> str:
    """One line per size and phase: wall s, CPU s, peak MB."""
    lines = ["feedback text: texts, phase, wall s, cpu s, peak MB"]
    for result in results:
        lines.append(
            f"{result['texts']:>9,} texts: total {result['wall_s']:.1f} s wall, "
            f"{result['cpu_s']:.1f} s cpu, peak {result['peak_mb']:.0f} MB; "
            f"held-out AUC {result['held_out_auc']:.3f}, {result['themes']} themes"
        )
        for name, phase in result["phases"].items():
            lines.append(
                f"{'':>11}{name:<18}{phase['wall_s']:>8.1f}{phase['cpu_s']:>8.1f}{phase['peak_mb']:>8.0f}"
            )
    return "\n".join(lines)


def bench_texts(sizes: tuple[int, ...] = DEFAULT_SIZES, seed: int = 0) -> list[dict[str, Any]]:
    """Each size in turn, with the `feedback` settings' defaults."""
    cfg = FeedbackSettings()
    results = []
    for size in sizes:
        print(f"  feedback text, {size:,} texts ...", flush=True)
        results.append(bench_size(size, seed, cfg))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(",") if s)
    print(format_text_bench(bench_texts(sizes, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
