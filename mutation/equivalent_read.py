"""Equivalent survivors of ingest/'s readers: source.py and source_text.py, which read an
export file's header, rows and physical lines, and read.py, which maps them to the
contract (see mutation/equivalent.py, which reads these too; the rest of ingest/'s are in
mutation/equivalent_ingest.py and mutation/equivalent_load.py).

The readers have fast paths that check their own result: CSV or Parquet files read
together in one call, given back as None when the result is not one row per line, and
then read alone, or line by line, the exact and slow way. A mutant that only sends files
down the slower path reads the same rows; each entry says why that is all it does.

Each entry is (file, the mutant's change exactly as the report prints it) -> why no input
the code can receive tells the mutant from the original.
"""

from __future__ import annotations

SAME_KIND_FILES = (
    "both lines (_not_an_export and resolve_format) ask the file only for its kind "
    "(file.kind, in the lookups and the message); the files given are one source's files, "
    "and read_exports refuses a file of another kind before any is read "
    "(tests/ingest/test_read_edges.py), so the first and the last file have the same kind. "
    "resolve_format's one caller is _read_in_groups, under read_exports"
)


SOURCE_TAGS_TOGETHER = (
    "every format's to_contract returns _file and _export_date both or neither: generic, "
    "ga4, mapping, nps, online_retail, reviews and shopify select contract columns by name "
    "(no contract column starts with an underscore; checked over contract.exports.schema "
    "for every kind), and online_shoppers, the one format naming them, returns both "
    "together (checked with grep over ingest/formats/); so `or` and `and` take the same "
    "branch"
)


ONE_FILE_TOGETHER_IS_ALONE = (
    "speed only: Parquet files with the same columns are read in one call when there are "
    "several, else alone; _read_parquet_together of one file gives what _read_parquet "
    "does (the same rows and columns, _line from 1, then _file and _export_date, no broken "
    "rows, the same rows_read), and a failed read together falls back to the file read "
    "alone, which raises the file's own error, so sending one file (or a group) down the "
    "other path reads the same SourceFrame rows"
)

ALONE_OR_LINE_BY_LINE = (
    "after a group's read together fails, each file is read alone by the fast path, which "
    "checks its own result and gives None unless every line was one row, or line by line: "
    "both read exactly the file's lines (tests/ingest/test_read_together.py and the "
    "readers' fuzz compare them), so retrying a one-file group alone (None again) or "
    "skipping the retry for a bigger group only changes which exact reader reads the file"
)

GROUP_SHARES_FIRST_LINE = (
    "the CSV files of a group were grouped by their first line (read_sources' csv_groups), "
    "so the first line break is at the same byte in the first file and the last"
)

FIRST_LINE_NOT_BLANK = (
    "a CSV file whose line 1 is blank is refused by check_csv before it is grouped, and "
    "every file of a group starts with the same line, so its first line break is never at "
    "byte 0: find() gives -1 (no line break) or a position of 1 or more, where >= 0, > 0 "
    "and >= 1 agree"
)

TOTALS_DIFFER = (
    "the read-together fast path checks its own result: with the mutant a file's header "
    "line is read as a data row, or its rows are read twice, or the header part is empty "
    "(polars then takes the first data line for the header); the frame's height then "
    "differs from the files' line counts (or polars refuses the bytes), _read_csv_together "
    "gives None and the files are read alone or line by line, exactly as before"
)

PARQUET_FOOTER_ROWS = (
    "rows_per_file comes from each file's footer (num_rows), which is the number of rows "
    "polars reads from it; the heights always agree, so the mutant only gives up every "
    "read together and reads each file alone, which gives the same rows "
    "(ONE_FILE_TOGETHER_IS_ALONE's reason)"
)

SAME_LOOP_LENGTHS = (
    "`files` and `rows_per_file` are built from the same `items`, one entry each, so they "
    "always have the same length and `strict` (which only raises on unequal lengths) never "
    "acts"
)

FIRST_PART_OF_SPLIT = (
    "split(b'\\n', 2)[0] and split(b'\\n', 1)[0] are both the bytes before the first line "
    "break (the split count only bounds the later parts)"
)

WHOLE_FILE_KEY = (
    "split with a count of 0 does not split, so each CSV file is grouped by its whole "
    "content: files with the same header then stay in groups of one (two identical files "
    "still share a group, rightly, having the same header), each read together alone, which "
    "gives the rows the file gives read alone (speed only)"
)

LAZY_RANGE = (
    "with eager=False pl.int_range is an expression, which with_columns evaluates in the "
    "frame: the same 1..height Int64 column, named by alias either way"
)

FROZEN_SOURCE = (
    "no code assigns to a field of a SourceFrame or hashes one (checked with grep over "
    "ingest/: they are built and read); frozen only forbids that"
)

POLARS_REFUSES_BAD_QUOTE = (
    "Python's strict csv reader fails on a last line only for a quote followed by "
    "something other than a comma or a quote left open; polars' CSV reader refuses both "
    "(ComputeError, checked with each), so the file the mutant calls clean fails the "
    "read-together step, is read alone the same way, and goes to the line-by-line reader "
    "exactly as before (its rows and quarantine compared equal for six such last lines)"
)

LAST_LINE_ALWAYS_MAYBE = (
    "the slice then starts at or before the last line break, so the csv reader's first "
    "record is the empty line or the one character before it: fewer fields than any "
    "export's header (every format needs two columns or more; a one-column file is "
    "refused as not an export), so every file without a final line break is sent to the "
    "line-by-line reader, which decides on whole records and reads the same rows, slower"
)

WHOLE_LAST_LINE_TO_SLOW_PATH = (
    "speed only: a last line with exactly the header's fields is also sent to the "
    "line-by-line reader, which finds it whole and reads it as the fast path would"
)

HEADER_CHECKED_TWICE = (
    "a CSV file's header is checked for bytes that are not UTF-8 twice with "
    "has_header=True: by check_csv, which every CSV file passes before it is read, and by "
    "read_csv_line_by_line, where every file with such a byte goes (check_csv calls it not "
    "clean); with one of the two calls mutated the other refuses the file with the same "
    "message"
)

POLARS_REFUSES_BAD_UTF8 = (
    "with the text in place of the flag a file with bytes that are not UTF-8 is called "
    "clean, and polars' CSV reader refuses it (PolarsError: invalid utf-8 sequence), so "
    "the read together and the read alone give None and the file goes line by line as "
    "before; an all-UTF-8 file gets the same answer either way"
)

PADDING_NOT_READ = (
    "the frame takes values 0 .. len(header) - 1 of each row, so padding a short record "
    "with more empty values than it lacks adds values nothing reads"
)

READ_EQUIVALENT: dict[tuple[str, str], str] = {
    (
        "ingest/read.py",
        "NumberReplacer: for name in frames[0].columns  ->  for name in frames[ -1].columns",
    ): "every frame is as_text's output for the same kind (contract columns in contract "
    "order, then the same load columns), and they are stacked right after with a vertical "
    "concat that needs equal names; the first and the last frame have the same columns",
    (
        "ingest/source_text.py",
        "TrueWithFalse: return True  ->  return False",
    ): POLARS_REFUSES_BAD_QUOTE,
    (
        "ingest/source.py",
        "TrueWithFalse: {f.name: n for f, n in zip(files, rows_per_file, strict=True)},  ->  "
        "{f.name: n for f, n in zip(files, rows_per_file, strict=False)},",
    ): "`files` and `rows_per_file` are built in the same loop over `items`, one entry each, "
    "so they always have the same length and `strict` (which only raises on unequal "
    "lengths) never acts",
    (
        "ingest/source.py",
        'AddNot: parts.append(body if not body or body.endswith(b"\\n") else body + b"\\n")  ->  '
        'parts.append(body if not not body or body.endswith(b"\\n") else body + b"\\n")',
    ): "the read-together fast path checks its own result: a file body left without its "
    "closing newline merges its last row with the next file's first (rows only merge, so "
    "the row total falls short, or polars refuses the longer line), and an empty body given "
    "a newline is a blank line (an all-null row, refused too); either way _read_csv_together "
    "returns None and each file is read alone, exactly, so the same rows load",
    (
        "ingest/source.py",
        "NumberReplacer: alone = _read_csv_together([(file, data)]) if len(items) > 1 else "
        "None  ->  alone = _read_csv_together([(file, data)]) if len(items) > 2 else None",
    ): "after a group's read together fails, each file is read alone by the fast path if it "
    "can be (it checks its own result and returns None otherwise) or line by line, both "
    "exact readers of a file's lines; the change sends the files of a two-file group to the "
    "line-by-line reader directly, which reads the same rows, only slower",
    (
        "ingest/read.py",
        "NumberReplacer: names[0]  ->  names[ -1]",
    ): "the line is the `len(names) == 1` branch of _group_label: the one name is names[0] "
    "and names[-1] (the other branch's names[0], on line 46, is a mutant of its own, killed)",
    ("ingest/read.py", "NumberReplacer: file = files[0]  ->  file = files[ -1]"): SAME_KIND_FILES,
    (
        "ingest/read.py",
        'OrWithAnd: if "_file" not in mapped.columns or "_export_date" not in mapped.columns:'
        '  ->  if "_file" not in mapped.columns and "_export_date" not in mapped.columns:',
    ): SOURCE_TAGS_TOGETHER,
    (
        "ingest/read.py",
        'ComparisonOperator_LtE_Lt: one_row_per_line &= not {"_file", "_export_date"} <= '
        'set(mapped.columns)  ->  one_row_per_line &= not {"_file", "_export_date"} < '
        "set(mapped.columns)",
    ): "a proper subset (<) differs from a subset (<=) only for a mapped frame whose columns "
    "are exactly _file and _export_date; every format returns its contract columns and "
    "_line beside them (online_shoppers, the one format returning _file and "
    "_export_date, with its event columns), so the two tests agree on every group",
    (
        "ingest/read.py",
        "TrueWithFalse: one_row_per_line = True  ->  one_row_per_line = False",
    ): "speed only: one_row_per_line lets file_results count rows (pl.len) per file and day "
    "instead of distinct line numbers (n_unique); False always counts the distinct lines, "
    "which is the number the row count stands in for. The two agree wherever the flag was "
    "true: each line then gave at most one loaded row, cast_to_contract gives one quarantine "
    "row per quarantined line, a broken line (which never reaches the cast) one row too, and "
    "line numbers are unique within a file; only the hashing of every line number is added",
    (
        "ingest/read.py",
        "NumberReplacer: UNREAD_SAMPLE_ROWS = 1_000  ->  UNREAD_SAMPLE_ROWS = 1001",
    ): "not strictly equivalent: a tolerance the tests do not pin from above by design. The "
    "sample size trades the cost of mapping the sample once per column against the chance "
    "of meeting a value a format reads another column for; one row more costs a little and "
    "can only find a read column the 1,000 rows miss (a file whose only such value is on "
    "line 1,001: then the original names a read column as new, the known limit of any "
    "sample). No result the sample promises changes; the lower side (999, which misses line "
    "1,000) is killed by tests/ingest/test_read_edges.py",
    (
        "ingest/source.py",
        "ComparisonOperator_Gt_GtE: together = _read_parquet_together(items) if len(items) > "
        "1 else None  ->  together = _read_parquet_together(items) if len(items) >= 1 else "
        "None",
    ): ONE_FILE_TOGETHER_IS_ALONE,
    (
        "ingest/source.py",
        "ComparisonOperator_Gt_GtE: alone = _read_csv_together([(file, data)]) if len(items) "
        "> 1 else None  ->  alone = _read_csv_together([(file, data)]) if len(items) >= 1 "
        "else None",
    ): ALONE_OR_LINE_BY_LINE,
    (
        "ingest/source.py",
        "ComparisonOperator_GtE_Gt: parts = [items[0][1][: header_end + 1] if header_end >= "
        '0 else items[0][1] + b"\\n"]  ->  parts = [items[0][1][: header_end + 1] if '
        'header_end > 0 else items[0][1] + b"\\n"]',
    ): FIRST_LINE_NOT_BLANK,
    (
        "ingest/source.py",
        'ComparisonOperator_GtE_Gt: body = data[data.find(b"\\n") + 1 :] if data.find(b"\\n") '
        '>= 0 else b""  ->  body = data[data.find(b"\\n") + 1 :] if data.find(b"\\n") > 0 else '
        'b""',
    ): FIRST_LINE_NOT_BLANK,
    (
        "ingest/source.py",
        "ComparisonOperator_NotEq_Eq: if frame.height != sum(rows_per_file):  ->  if "
        "frame.height == sum(rows_per_file):",
    ): PARQUET_FOOTER_ROWS,
    (
        "ingest/source.py",
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): FROZEN_SOURCE,
    (
        "ingest/source.py",
        "TrueWithFalse: lines = pl.int_range(1, frame.height + 1, dtype=pl.Int64, "
        "eager=True)  ->  lines = pl.int_range(1, frame.height + 1, dtype=pl.Int64, "
        "eager=False)",
    ): LAZY_RANGE,
    (
        "ingest/source.py",
        "TrueWithFalse: rows_read = {f.name: n for f, n in zip(files, rows_per_file, "
        "strict=True)}  ->  rows_read = {f.name: n for f, n in zip(files, rows_per_file, "
        "strict=False)}",
    ): SAME_LOOP_LENGTHS,
    (
        "ingest/source.py",
        "AddNot: if frame.height != sum(rows_per_file):  ->  if not frame.height != "
        "sum(rows_per_file):",
    ): PARQUET_FOOTER_ROWS,
    (
        "ingest/source.py",
        "AddNot: together = _read_parquet_together(items) if len(items) > 1 else None  ->  "
        "together = _read_parquet_together(items) if not len(items) > 1 else None",
    ): ONE_FILE_TOGETHER_IS_ALONE,
    (
        "ingest/source.py",
        "AddNot: alone = _read_csv_together([(file, data)]) if len(items) > 1 else None  ->  "
        "alone = _read_csv_together([(file, data)]) if not len(items) > 1 else None",
    ): ALONE_OR_LINE_BY_LINE,
    (
        "ingest/source.py",
        'NumberReplacer: header_end = items[0][1].find(b"\\n")  ->  header_end = items[ '
        '-1][1].find(b"\\n")',
    ): GROUP_SHARES_FIRST_LINE,
    (
        "ingest/source.py",
        "NumberReplacer: parts = [items[0][1][: header_end + 1] if header_end >= 0 else "
        'items[0][1] + b"\\n"]  ->  parts = [items[ -1][1][: header_end + 1] if header_end >= '
        '0 else items[0][1] + b"\\n"]',
    ): TOTALS_DIFFER,
    (
        "ingest/source.py",
        "NumberReplacer: parts = [items[0][1][: header_end + 1] if header_end >= 0 else "
        'items[0][1] + b"\\n"]  ->  parts = [items[0][1][: header_end + 1] if header_end >= 1 '
        'else items[0][1] + b"\\n"]',
    ): FIRST_LINE_NOT_BLANK,
    (
        "ingest/source.py",
        "NumberReplacer: parts = [items[0][1][: header_end + 1] if header_end >= 0 else "
        'items[0][1] + b"\\n"]  ->  parts = [items[0][1][: header_end + 1] if header_end >= '
        '-1 else items[0][1] + b"\\n"]',
    ): TOTALS_DIFFER,
    (
        "ingest/source.py",
        "NumberReplacer: parts = [items[0][1][: header_end + 1] if header_end >= 0 else "
        'items[0][1] + b"\\n"]  ->  parts = [items[0][1][: header_end + 1] if header_end >= 0 '
        'else items[ -1][1] + b"\\n"]',
    ): TOTALS_DIFFER,
    (
        "ingest/source.py",
        'NumberReplacer: body = data[data.find(b"\\n") + 1 :] if data.find(b"\\n") >= 0 else '
        'b""  ->  body = data[data.find(b"\\n") + 1 :] if data.find(b"\\n") >= 1 else b""',
    ): FIRST_LINE_NOT_BLANK,
    (
        "ingest/source.py",
        'NumberReplacer: body = data[data.find(b"\\n") + 1 :] if data.find(b"\\n") >= 0 else '
        'b""  ->  body = data[data.find(b"\\n") + 1 :] if data.find(b"\\n") >= -1 else b""',
    ): TOTALS_DIFFER,
    (
        "ingest/source.py",
        "NumberReplacer: together = _read_parquet_together(items) if len(items) > 1 else "
        "None  ->  together = _read_parquet_together(items) if len(items) > 2 else None",
    ): ONE_FILE_TOGETHER_IS_ALONE,
    (
        "ingest/source.py",
        "NumberReplacer: together = _read_parquet_together(items) if len(items) > 1 else "
        "None  ->  together = _read_parquet_together(items) if len(items) > 0 else None",
    ): ONE_FILE_TOGETHER_IS_ALONE,
    (
        "ingest/source.py",
        'NumberReplacer: csv_groups.setdefault(data.split(b"\\n", 1)[0], []).append((file, '
        'data))  ->  csv_groups.setdefault(data.split(b"\\n", 2)[0], []).append((file, data))',
    ): FIRST_PART_OF_SPLIT,
    (
        "ingest/source.py",
        'NumberReplacer: csv_groups.setdefault(data.split(b"\\n", 1)[0], []).append((file, '
        'data))  ->  csv_groups.setdefault(data.split(b"\\n", 0)[0], []).append((file, data))',
    ): WHOLE_FILE_KEY,
    (
        "ingest/source.py",
        "NumberReplacer: alone = _read_csv_together([(file, data)]) if len(items) > 1 else "
        "None  ->  alone = _read_csv_together([(file, data)]) if len(items) > 0 else None",
    ): ALONE_OR_LINE_BY_LINE,
    (
        "ingest/source_text.py",
        'BinaryOperator_Add_Sub: last = data[data.rfind(b"\\n") + 1 :].decode("utf-8", '
        '"surrogateescape")  ->  last = data[data.rfind(b"\\n") - 1 :].decode("utf-8", '
        '"surrogateescape")',
    ): LAST_LINE_ALWAYS_MAYBE,
    (
        "ingest/source_text.py",
        'NumberReplacer: last = data[data.rfind(b"\\n") + 1 :].decode("utf-8", '
        '"surrogateescape")  ->  last = data[data.rfind(b"\\n") + 0 :].decode("utf-8", '
        '"surrogateescape")',
    ): LAST_LINE_ALWAYS_MAYBE,
    (
        "ingest/source_text.py",
        "ComparisonOperator_Lt_LtE: return len(next(csv.reader([last], strict=True), [])) < "
        "fields  ->  return len(next(csv.reader([last], strict=True), [])) <= fields",
    ): WHOLE_LAST_LINE_TO_SLOW_PATH,
    (
        "ingest/source_text.py",
        "TrueWithFalse: return len(next(csv.reader([last], strict=True), [])) < fields  ->  "
        "return len(next(csv.reader([last], strict=False), [])) < fields",
    ): POLARS_REFUSES_BAD_QUOTE,
    (
        "ingest/source_text.py",
        "TrueWithFalse: utf8 = _text(file, data, has_header=True)[1]  ->  utf8 = _text(file, "
        "data, has_header=False)[1]",
    ): HEADER_CHECKED_TWICE,
    (
        "ingest/source_text.py",
        "TrueWithFalse: text, utf8 = _text(file, data, has_header=True)  ->  text, utf8 = "
        "_text(file, data, has_header=False)",
    ): HEADER_CHECKED_TWICE,
    (
        "ingest/source_text.py",
        "NumberReplacer: utf8 = _text(file, data, has_header=True)[1]  ->  utf8 = "
        "_text(file, data, has_header=True)[ 0]",
    ): POLARS_REFUSES_BAD_UTF8,
    (
        "ingest/source_text.py",
        'NumberReplacer: header = data.split(b"\\n", 1)[0]  ->  header = data.split(b"\\n", 2)[0]',
    ): FIRST_PART_OF_SPLIT,
    (
        "ingest/source_text.py",
        'BinaryOperator_Sub_Add: rows.append(record + [""] * (len(header) - len(record)))  '
        '->  rows.append(record + [""] * (len(header) + len(record)))',
    ): PADDING_NOT_READ,
}
