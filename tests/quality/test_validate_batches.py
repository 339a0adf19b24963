"""A table validated batch by batch gives the verdict of the whole table (rules judge each row)."""

import great_expectations.expectations as gxe
import polars as pl

from quality import validate as validation
from quality.validate import columns_used, validate, validate_batches


def _rules():
    return [
        gxe.ExpectColumnValuesToBeBetween(column="rate", min_value=0, max_value=1),
        gxe.ExpectColumnValuesToBeInSet(column="kind", value_set=["a", "b"]),
    ]


def test_bad_rows_of_the_batches_add_up():
    table = pl.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "rate": [0.5, 1.5, 0.2, -1.0, 2.0],
            "kind": ["a", "b", "a", "a", "b"],
        }
    )
    whole = validate(table, "t", _rules(), key=("id",))
    batched = validate_batches([table[:2], table[2:4], table[4:]], "t", _rules(), key=("id",))
    assert not batched.success and batched.evaluated == 2
    assert [(f["expectation"], f["column"], f["unexpected"]) for f in batched.failures] == [
        ("expect_column_values_to_be_between", "rate", 3)  # ids 2, 4 and 5
    ]
    assert batched.failures[0]["unexpected"] == whole.failures[0]["unexpected"]
    assert [e["id"] for e in batched.failures[0]["examples"]] == ["2", "4", "5"]


def test_no_batches_is_a_pass():
    assert validate_batches([], "t", _rules()).success


def test_a_rule_that_cannot_be_evaluated_fails_saying_why():
    """Catches: a rule GX cannot evaluate (a range on a text column) passing, or failing
    with "could not be evaluated: None" because the message is looked up where GX does not
    put it (it keys exceptions by the metric that raised), so the reader has no lead."""
    table = pl.DataFrame({"id": [1, 2], "rate": ["high", "low"]})
    result = validate_batches([table], "t", _rules()[:1], key=("id",))
    [failure] = result.failures
    assert (result.success, failure["unexpected"], failure["examples"]) == (False, None, [])
    assert result.summary() == (
        "expect_column_values_to_be_between on rate could not be evaluated: Column values, "
        "min_value, and max_value must either be None or of the same type."
    )


def test_a_rule_no_batch_could_evaluate_stays_unevaluated():
    """Catches: the bad rows of batches GX could not evaluate (no count) added up as 0, so
    a check over several batches fails saying "0 bad rows" instead of why."""
    table = pl.DataFrame({"id": [1, 2, 3], "rate": ["high", "low", "none"]})
    [failure] = validate_batches([table[:1], table[1:2], table[2:]], "t", _rules()[:1]).failures
    assert (failure["unexpected"], failure["examples"]) == (None, [])
    assert failure["error"].startswith("Column values, min_value, and max_value must")


def test_a_failure_shows_its_first_five_bad_rows():
    """Catches: more (or fewer) than five examples kept per rule, in one batch or summed
    over batches: the check's evidence in the UI and quality.check_results would grow with
    the bad rows of a broken feed."""
    table = pl.DataFrame({"id": list(range(1, 8)), "rate": [2.0] * 7, "kind": ["a"] * 7})
    for batches in ([table], [table[:3], table[3:]]):
        [failure] = validate_batches(batches, "t", _rules(), key=("id",)).failures
        assert failure["unexpected"] == 7
        assert [e["id"] for e in failure["examples"]] == ["1", "2", "3", "4", "5"]


def test_a_batch_gx_cannot_evaluate_leaves_the_rule_unevaluated_with_its_reason():
    """Catches: a batch with bad rows and a later one GX cannot evaluate merged into a
    count (None added to a number raises) or into an unevaluated rule without its reason."""
    counted = pl.DataFrame({"id": [1], "rate": [2.0]})
    text = pl.DataFrame({"id": [2], "rate": ["high"]})
    [failure] = validate_batches([counted, text], "t", _rules()[:1], key=("id",)).failures
    assert failure["unexpected"] is None
    assert failure["error"].startswith("Column values, min_value, and max_value must")
    assert failure["examples"] == [{"rate": "2.0", "id": "1"}]


def test_a_bad_whole_number_beside_empty_values_is_shown_as_written():
    """Catches: frames handed to GX as plain numpy columns, where an integer column with an
    empty value turns into floats, so the evidence of a rating of 6 reads '6.0'."""
    table = pl.DataFrame({"id": [1, 2, 3], "rating": [None, 6, 3]})
    rule = gxe.ExpectColumnValuesToBeBetween(column="rating", min_value=1, max_value=5)
    [failure] = validate_batches([table], "t", [rule], key=("id",)).failures
    assert failure["examples"] == [{"rating": "6", "id": "2"}]


def test_validation_draws_no_progress_bars(capsys):
    """Catches: GX's progress bars left on, so every check of every run writes a
    "Calculating Metrics" bar per rule into the Dagster logs."""
    validation._context.cache_clear()  # set up the context here, not in an earlier test
    validate_batches([pl.DataFrame({"id": [1], "rate": [2.0], "kind": ["c"]})], "t", _rules())
    assert "Calculating Metrics" not in capsys.readouterr().err


def test_the_columns_a_rule_names_are_all_sent_to_gx():
    """Catches: a rule over a list of columns (a compound key's uniqueness) validated on a
    frame without them, because only `column` and the pair's columns were collected."""
    rules = [
        *_rules(),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="hi", column_B="lo"),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["day", "shop"]),
    ]
    assert columns_used(rules) == ["rate", "kind", "hi", "lo", "day", "shop"]


def test_a_name_validated_again_judges_the_new_rows():
    """The data source of a name is made once per process and reused: one that kept the
    first frame (a cached batch instead of its definition) would pass the bad second frame."""
    good = pl.DataFrame({"rate": [0.5], "kind": ["a"]})
    bad = pl.DataFrame({"rate": [1.5, 0.1], "kind": ["a", "c"]})
    assert validate(good, "again", _rules()).success
    failures = validate(bad, "again", _rules()).failures
    assert [(f["column"], f["unexpected"]) for f in failures] == [("rate", 1), ("kind", 1)]
