"""The report counts a survivor whose line has left the file as resolved, and no other."""

from mutation.report import line_gone

PRESENT = "ROOT = Path(__file__).resolve().parents[1]"  # a line of mutation/report.py


def test_a_survivor_on_a_line_still_in_the_file_stays():
    change = f"NumberReplacer: {PRESENT}  ->  {PRESENT.replace('[1]', '[2]')}"
    assert not line_gone("mutation/report.py", change)


def test_a_survivor_on_a_deleted_line_is_gone():
    change = "BinaryOperator_Sub_Add: total = a - b  ->  total = a + b"
    assert line_gone("mutation/report.py", change)
    assert line_gone("mutation/no_such_module.py", f"NumberReplacer: {PRESENT}  ->  x")


def test_sql_changes_are_never_gone():
    assert not line_gone("assets/sql/macros.sql", "comparison: `>` -> `>=`")
