"""Settings of the review and survey text analysis (feedback_text/): the sentiment model,
the themes and the alerts on a theme's negative share. config/settings.py gathers them
into `Settings` as the `feedback` section.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from config.settings_section import Section
from config.settings_types import PositiveInt, Share


class FeedbackSettings(Section):
    """What customers write: sentiment learned from the shop's ratings, themes, alerts."""

    themes: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Seeded themes: name -> its words, e.g. "
        "`{delivery: [late, arrived, shipping], fit: [size, small, large]}`. A seeded theme "
        "holds every text using one of its words (the seed whose words weigh most in it, when "
        "several) and keeps its name as id; themes are found in the other texts.",
    )
    theme_counts: tuple[PositiveInt, ...] = Field(
        (6, 8, 10, 12),
        description="Numbers of themes tried (seeded ones included); the one whose themes are "
        "most coherent (mean NPMI of each theme's top terms) is kept.",
    )
    stop_words: Literal["english", "none"] = Field(
        "english",
        description="Words left out of the themes: `english` (scikit-learn's list) or `none` "
        "for shops writing in another language (words in more than a quarter of the texts "
        "are left out either way). The sentiment model uses every word.",
    )
    negative_max_rating: int = Field(
        2,
        ge=1,
        le=4,
        description="A review rated this many stars or fewer is negative: the label the "
        "sentiment model learns.",
    )
    min_auc: Share = Field(
        0.75,
        description="Held-out AUC the sentiment model must reach before its calls are used; "
        "below it the feedback page says the text signal is too weak for this shop. A text with "
        "a rating or NPS score is negative by it (`negative_max_rating` or less, NPS 6 or less) "
        "either way; one without is negative by the model's call, or unknown when it is weak.",
    )
    min_rated_texts: PositiveInt = Field(
        100,
        description="Rated reviews with text needed to train the sentiment model (fewer: no "
        "model, as if the signal were too weak).",
    )
    max_training_texts: PositiveInt = Field(
        100_000,
        description="At most this many rated texts (the newest) train the sentiment model; "
        "every text is scored.",
    )
    max_theme_fit_texts: PositiveInt = Field(
        50_000,
        description="At most this many texts (the newest) fit the themes; every text is "
        "assigned one.",
    )
    alert_baseline_weeks: PositiveInt = Field(
        8,
        description="Weeks before a week that make a theme's usual range of negative share.",
    )
    alert_min_baseline_weeks: PositiveInt = Field(
        4, description="Weeks with texts a theme needs in its baseline before it can be flagged."
    )
    alert_p_value: float = Field(
        0.001,
        gt=0,
        lt=1,
        description="A week is flagged when a theme's negative share is one a usual week "
        "(the baseline mean plus one week-to-week standard deviation) reaches with less than "
        "this probability, by the exact binomial tail over that week's texts.",
    )
    alert_min_negative_texts: PositiveInt = Field(
        3, description="Negative texts of the theme a flagged week must hold at least."
    )

    @field_validator("themes")
    @classmethod
    def _seeds_have_words(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        empty = sorted(name for name, words in value.items() if not words)
        if empty:
            raise ValueError(f"seeded theme(s) {', '.join(empty)} name no words")
        return {name: tuple(w.lower() for w in words) for name, words in value.items()}
