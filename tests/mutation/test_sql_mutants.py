"""The SQL mutator plants each kind of bug it promises, and none in comments or strings."""

from __future__ import annotations

from mutation.sql_mutants import mutate_sql

SQL = """-- a / nullif(b, 0) in a comment is left alone
select
    day,
    count(distinct user_id) as users,
    count(*) filter (where has_purchase) as buyers,
    buyers / nullif(sessions, 0) as conversion_rate,
    buyers / nullif(users, 0) as user_rate,
    'x < y' as label
from t
where
    day between first_day and last_day
    and event_at >= now() - interval 48 hour
"""


def changes(sql: str) -> set[str]:
    return {m.change for m in mutate_sql(sql)}


def test_each_operator_yields_its_mutants():
    """A mutator that silently stopped making one kind of mutant would inflate the score."""
    assert changes(SQL) == {
        "denominator: `buyers / nullif(sessions, 0)` -> `sessions / nullif(buyers, 0)`",
        "denominator: `buyers / nullif(sessions, 0)` -> `buyers / nullif(users, 0)`",
        "denominator: `buyers / nullif(users, 0)` -> `users / nullif(buyers, 0)`",
        "denominator: `buyers / nullif(users, 0)` -> `buyers / nullif(sessions, 0)`",
        "between: `day between first_day and last_day` -> `day > first_day and day <= last_day`",
        "between: `day between first_day and last_day` -> `day >= first_day and day < last_day`",
        "count-distinct: `count(distinct user_id)` -> `count(*)`",
        "drop-filter: `filter (where has_purchase)` -> ``",
        "drop-condition: `and event_at >= now() - interval 48 hour` -> ``",
        "interval: `interval 48 hour` -> `interval 49 hour`",
        "interval: `interval 48 hour` -> `interval 47 hour`",
        "comparison: `>=` -> `>`",
    }


def test_a_mutant_is_the_whole_file_with_one_change_at_its_line():
    """The runner writes `text` over the file: it must be the full SQL, changed once."""
    (mutant,) = [m for m in mutate_sql(SQL, "m.sql") if m.change.startswith("count-distinct")]
    assert mutant.path == "m.sql"
    assert mutant.line == 4
    assert mutant.text == SQL.replace("count(distinct user_id)", "count(*)")


def test_comparisons_keep_the_other_operators():
    """`<>` and `->` are not comparisons to swap; `<` becomes `<=` and `>` becomes `>=`."""
    sql = "select a <> b, j -> 'k', a < b, a > b\n"
    assert changes(sql) == {"comparison: `<` -> `<=`", "comparison: `>` -> `>=`"}
