"""The lines of an export file as the load counts them (rows in = loaded + quarantined)."""

from ingest.source_text import line_count


def test_the_lines_of_a_file_with_and_without_a_final_line_break():
    """Bug caught: a last line without a line break subtracted instead of counted, so a
    file's read lines (and rows in = loaded + quarantined) came out two short."""
    assert [line_count(b""), line_count(b"a\nb\n"), line_count(b"a\nb")] == [0, 2, 2]
