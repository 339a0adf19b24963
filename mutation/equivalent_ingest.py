"""Equivalent survivors of ingest/ (see mutation/equivalent.py, which reads these too; the
readers', source.py, source_text.py and read.py, are in mutation/equivalent_read.py, the
load step's, load.py, rules.py and quarantine_privacy.py, are in mutation/equivalent_load.py).

Several are fast paths of the loader: a cheap look that lets a column skip a slower,
always-correct step. A mutant that only sends more values down the slow step loads the
same rows; each entry says why that is all the mutant does.
"""

from __future__ import annotations

EMPTY_VIEW_IS_ZERO = (
    "`empty` adds nothing to `maybe` either way: an empty value's string view is zero after "
    "its length (Arrow pads inline bytes with zeros), so its first byte 0 is already caught "
    "by `first_bytes <= SPACE`; and bytes 4-7 all zero (what the mutant reads) mean a first "
    "byte 0 too. `maybe` is the same array, so the same columns are stripped"
)


PROBE_LINE = (
    "the probe row's `_line` only has to be a line number: read.py and quarantine_privacy.py "
    "compare mappings of probes that all carry the same `_line` (and `_file` 'probe', so it "
    "meets no real line), and no format reads a column depending on the line's number; 1, 2 "
    "or 3 find the same unread and personal columns"
)


NO_LEADING_CONTINUATION_BYTE = (
    "the mutant only stops reading a first byte of exactly 0x80 as 'maybe', and no value "
    "starts with it: polars holds text as valid UTF-8, where 0x80-0xBF only continue a "
    "character and never begin one (a non-ASCII first byte is 0xC2 or above; the Unicode "
    "spaces begin with 0xC2, 0xE1, 0xE2 or 0xE3, all still caught)"
)


NANOSECONDS_CLIPPED = (
    "for nanoseconds both ends of years 1 to 9999 lie beyond Int64 and are clipped to "
    "-2**63 and 2**63 - 1: the first second is 62,135,596,800 s before 1970, past -2**63 "
    "for any factor above 1.49e8, and the last 253,402,300,799 s after, past 2**63 - 1 for "
    "any factor above 3.7e7; 999,999,999 and 1,000,000,001 clip to the same span (every "
    "nanosecond value is inside), as tests/ingest/test_typed_columns.py::"
    "test_the_calendar_span_is_years_1_to_9999_in_every_unit checks"
)


HASH_BLOCK = (
    "the block size only sets how much of the file is read into memory at a time; sha256 "
    "of the blocks fed in order is the hash of the whole file whatever their size, so the "
    "fingerprint is the same (tests/ingest/test_discover.py compares fingerprints)"
)


FORMAT_PATH_ONLY = (
    "speed only: in first_format_moments the count of values left decides when to stop "
    "trying formats and whether a later format parses the values in place (fill_null) or "
    "picks them out (scatter); both paths give each value its first parsing format, and a "
    "format tried with nothing left (or the first format tried twice) changes no value. "
    "The mutant only sends values down the other path or tries a format more: "
    "tests/ingest/test_timestamps.py::test_each_value_takes_the_first_format_that_reads_it "
    "checks both paths give the same answers"
)


DIGITS_ONLY = (
    "the offset's digits are what remains after every non-digit is removed, so characters "
    "3-4 are digits or empty (made null before the cast): a strict cast never meets a "
    "value it cannot read, and strict and lenient casts agree"
)


NULL_TEXT_STAYS_NULL = (
    "speed only: a null (blank) value marked as having an offset takes the offset path, "
    "where its text stays null, its moment null and its offset is never applied; only a "
    "file with blanks and no offsets at all is sent down the slower path"
)


INGEST_EQUIVALENT: dict[tuple[str, str], str] = {
    (
        "ingest/discover.py",
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): "no code assigns to a field of an ExportFile or hashes one (files are kept in lists and "
    "as dict values, compared with ==; checked with grep over ingest/ and pipelines/); "
    "frozen only forbids that",
    (
        "ingest/discover.py",
        "TrueWithFalse: root_resolved=True,  ->  root_resolved=False,",
    ): "the root passed is `root.resolve()` already, and resolving a resolved path gives it "
    "back (no link or '..' left in it), so the check compares with the same folder; the "
    "flag only saves the system calls of resolving it again for every file",
    (
        "ingest/discover.py",
        'NumberReplacer: for block in iter(lambda: handle.read(1 << 20), b""):  ->  '
        'for block in iter(lambda: handle.read( 2 << 20), b""):',
    ): HASH_BLOCK,
    (
        "ingest/discover.py",
        'NumberReplacer: for block in iter(lambda: handle.read(1 << 20), b""):  ->  '
        'for block in iter(lambda: handle.read(1 << 21), b""):',
    ): HASH_BLOCK,
    (
        "ingest/discover.py",
        'NumberReplacer: for block in iter(lambda: handle.read(1 << 20), b""):  ->  '
        'for block in iter(lambda: handle.read(1 << 19), b""):',
    ): HASH_BLOCK,
    (
        "ingest/cast_text.py",
        'NumberReplacer: per_second = {"ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}'
        '[dtype.time_unit]  ->  per_second = {"ms": 1_000, "us": 1_000_000, "ns": 1000000001}'
        "[dtype.time_unit]",
    ): NANOSECONDS_CLIPPED,
    (
        "ingest/cast_text.py",
        'NumberReplacer: per_second = {"ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}'
        '[dtype.time_unit]  ->  per_second = {"ms": 1_000, "us": 1_000_000, "ns": 999999999}'
        "[dtype.time_unit]",
    ): NANOSECONDS_CLIPPED,
    (
        "ingest/blank_text.py",
        "ComparisonOperator_GtE_Gt: maybe = (first_bytes <= SPACE) | (first_bytes >= "
        "FIRST_NON_ASCII) | empty  ->  maybe = (first_bytes <= SPACE) | (first_bytes > "
        "FIRST_NON_ASCII) | empty",
    ): NO_LEADING_CONTINUATION_BYTE,
    (
        "ingest/blank_text.py",
        "NumberReplacer: FIRST_NON_ASCII = 0x80  ->  FIRST_NON_ASCII = 129",
    ): NO_LEADING_CONTINUATION_BYTE,
    (
        "ingest/blank_text.py",
        "TrueWithFalse: return True  # another layout: not read here, so the caller strips  "
        "->  return False  # another layout: not read here, so the caller strips",
    ): "no input reaches the line: the one caller (cast._ready_values) passes only String "
    "columns, and polars hands every String chunk out as Arrow string_view at "
    "CompatLevel.newest (its own layout, sliced or many-chunk alike), so the type check "
    "never fails; the line guards a layout polars does not produce",
    (
        "ingest/blank_text.py",
        "TrueWithFalse: for name, column in zip(names, table.columns, strict=True)  ->  "
        "for name, column in zip(names, table.columns, strict=False)",
    ): "`table` is `frame.select(names)`, one column per name (select refuses a repeated "
    "name), so both have the same length and `strict` (which only raises on unequal "
    "lengths) never acts",
    (
        "ingest/blank_text.py",
        "NumberReplacer: if len(chunk) == 0:  ->  if len(chunk) == -1:",
    ): "a length is never -1, so an empty chunk skips the early return and takes the general "
    "path, which reads zero views and answers `maybe.any()` of an empty array: False, the "
    "early return's answer (tests/ingest/test_blank_text.py::"
    "test_an_empty_column_has_no_blank_value runs that path under the mutant)",
    (
        "ingest/blank_text.py",
        'NumberReplacer: empty = views.view("<u4")[0 :: VIEW_BYTES // 4] == 0  ->  '
        'empty = views.view("<u4")[0 :: VIEW_BYTES // 4] == -1',
    ): "a length is an unsigned 32-bit number, never -1 (numpy compares the values: all "
    "false), so `empty` is all false; it adds nothing to `maybe` anyway, since an empty "
    "value's view is zero after its length (Arrow pads inline bytes with zeros) and its first "
    "byte 0 is caught by `first_bytes <= SPACE`",
    (
        "ingest/blank_text.py",
        "NumberReplacer: FIRST_NON_ASCII = 0x80  ->  FIRST_NON_ASCII = 127",
    ): "a value whose first byte is 127 (DEL, not whitespace) then makes its column a "
    "'maybe' column, which is stripped on the general path; that path gives every column "
    "the same values the fast path does (tests/ingest/test_blank_text.py loads cleared and "
    "stripped columns alike), so only the cost changes",
    (
        "ingest/blank_text.py",
        'NumberReplacer: empty = views.view("<u4")[0 :: VIEW_BYTES // 4] == 0  ->  '
        'empty = views.view("<u4")[ 1 :: VIEW_BYTES // 4] == 0',
    ): EMPTY_VIEW_IS_ZERO,
    (
        "ingest/cast.py",
        "ComparisonOperator_Eq_NotEq: if c.name not in already_typed and text[c.name].dtype "
        "== pl.String()  ->  if c.name not in already_typed and text[c.name].dtype != "
        "pl.String()",
    ): "cast_text.as_text leaves every contract column either in its contract type (those "
    "are `already_typed` when the type is not text) or as String, so the original test is "
    "always true and the mutant's always false: no column takes the fast path, every one is "
    "stripped and parsed on the general path, which gives the same values (the fast path is "
    "its shortcut: tests/ingest/test_blank_text.py)",
    (
        "ingest/cast.py",
        "OrWithAnd: c.dtype == pl.Int64() or number.is_finite().all()  ->  "
        "c.dtype == pl.Int64() and number.is_finite().all()",
    ): "for a whole-number column is_finite() of Int64 values is always true and all() skips "
    "nulls, so `and` clears the same Int64 columns; Float64 columns then never take the "
    "shortcut and are stripped and parsed on the general path, which reads the same numbers "
    "(and quarantines the non-finite ones the shortcut leaves to it)",
    (
        "ingest/formats/base.py",
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): "no code assigns to a field of an ExportFormat or hashes one (formats are looked up "
    "by name in FORMATS; checked with grep); frozen only forbids that",
    (
        "ingest/formats/base.py",
        "NumberReplacer: pl.lit(2, pl.Int64()).alias(LINE),  ->  pl.lit( 3, pl.Int64()).alias(LINE),",
    ): PROBE_LINE,
    (
        "ingest/formats/base.py",
        "NumberReplacer: pl.lit(2, pl.Int64()).alias(LINE),  ->  pl.lit( 1, pl.Int64()).alias(LINE),",
    ): PROBE_LINE,
    (
        "ingest/formats/ga4.py",
        "OrWithAnd: if dtype is None or dtype == pl.Null() or dtype == pl.String():  # text: "
        "see _decoded  ->  if dtype is None and dtype == pl.Null() or dtype == pl.String():  "
        "# text: see _decoded",
    ): "the change returns the column itself (not a null literal) for a nested column that is "
    "absent (type None) or null on every line (type Null); every reader of a nested column "
    "(_field, _param) first looks its field up in _fields(dtype), which is empty for None "
    "and Null, and returns null text, so the column is never evaluated and the same rows load",
    (
        "ingest/cast.py",
        "AndWithOr: if c.name not in already_typed and text[c.name].dtype == pl.String()  ->  "
        "if c.name not in already_typed or text[c.name].dtype == pl.String()",
    ): "the change adds the already typed columns to `given_as_text`: none is a text column "
    "(already_typed holds only non-String ones), so `texts` is the same; a typed Int64 "
    "column, and a typed Float64 one with every value finite, become `ready` as their own "
    "values (the cast to their own type changes nothing), which is what _typed_value gives "
    "them (the column, NaN and infinity made null); `stripped` looks at already_typed "
    "first, and `blank` is `is_null()` of the same column either way",
    (
        "ingest/cast.py",
        "TrueWithFalse: flagged = [pl.when(flag).then(part) for flag, part in zip(failed, "
        "parts, strict=True)]  ->  flagged = [pl.when(flag).then(part) for flag, part in "
        "zip(failed, parts, strict=False)]",
    ): "`failed` has one flag per check and every `parts` list is built with one entry per "
    "check (a comprehension over `checks`), so the lengths are equal and `strict` (which "
    "only raises on unequal lengths) never acts",
    (
        "ingest/cast.py",
        "NumberReplacer: too_large = too_large | (number.is_finite() & (number.abs() >= "
        "2.0**63))  ->  too_large = too_large | (number.is_finite() & (number.abs() >= "
        "2.0** 62))",
    ): "the change also calls a finite number in [2**62, 2**63) too large, and that only "
    "words the reason of a value that failed to parse; no such value fails: every float "
    "from 2**53 up is whole and _parse reads a whole number below 2**63 (the floats there "
    "are multiples of 1024, the largest 2**63 - 1024, so the Int64 cast holds), so the "
    "reason is never shown for one (a value at 5e18 parses and meets the units bound: "
    "tests/ingest/test_text_readings.py)",
    (
        "ingest/cast.py",
        "NumberReplacer: frame = _flagged(frame, checks, first=len(checks) - 1)  ->  "
        "frame = _flagged(frame, checks, first=len(checks) - 2)",
    ): "the change only computes the flag of the check before the duplicate check again; "
    "that check reads the typed and text columns, which have not changed since it was "
    "first flagged (only DUPLICATE_OF was added, and no check but the duplicate one reads "
    "it), so it writes the same flags (every kind has more than one check: a required or "
    "a parsed column besides the key)",
    (
        "ingest/cast.py",
        "NumberReplacer: def _flagged(frame: pl.DataFrame, checks: list[rules.Problem], "
        "first: int = 0) -> pl.DataFrame:  ->  def _flagged(frame: pl.DataFrame, checks: "
        "list[rules.Problem], first: int = -1) -> pl.DataFrame:",
    ): "with first -1 the first call also writes `__failed_-1`, the last check's flag under a "
    "name nothing reads: `__quarantined` and _quarantine read `__failed_0` to "
    "`__failed_<n-1>`, and the loaded rows keep only contract and load columns; `checks` is "
    "never empty (every kind has a required or a parsed column), so checks[-1] exists",
    (
        "ingest/cast.py",
        "ZeroIterationForLoop: for c in given_as_text:  ->  for c in []:",
    ): "the loop only lets number columns skip the strip (the fast path); without it every "
    "number column is stripped and read by _typed_value, which gives the same values: a "
    "`ready` column's text casts whole with no null added, so it has no spaces and no "
    "blank, its stripped text is itself and the integer shortcut (or _parse's finite "
    "Float64) reads the same numbers; no value of it fails to parse, so the reasons that "
    "quote `stripped` are never made for it",
    (
        "ingest/formats/ga4.py",
        "OrWithAnd: if dtype is None or dtype == pl.Null() or dtype == pl.String():  # text: "
        "see _decoded  ->  if dtype is None or dtype == pl.Null() and dtype == pl.String():  "
        "# text: see _decoded",
    ): "the change returns the column itself for a nested column of type Null or String; "
    "none is String there (to_contract runs _decoded first, which turns every nested column "
    "given as text into its nested type), and one of type Null (null on every line) is "
    "never evaluated: every reader of a nested column (_field, _param) first looks its "
    "field up in _fields(dtype), which is empty for Null, and returns null text instead",
    (
        "ingest/formats/mapping.py",
        'TrueWithFalse: value = value.str.replace_all(".", "", literal=True).str.replace(",", '
        '".", literal=True)  ->  value = value.str.replace_all(".", "", literal=True)'
        '.str.replace(",", ".", literal=False)',
    ): "the pattern is a comma, which means itself in a regular expression as in plain text "
    "(no special character), and the replacement '.' holds no group reference; both "
    "replace the first comma with a dot",
    (
        "ingest/formats/mapping.py",
        'FalseWithTrue: if not isinstance(spec.get("decimal_comma", False), bool):  ->  '
        'if not isinstance(spec.get("decimal_comma", True), bool):',
    ): "the default only stands in for an absent key in a type check, and True is a bool as "
    "False is: an absent decimal_comma passes the check either way (the value kept is "
    "read again below with its own default, False)",
    (
        "ingest/timestamps.py",
        "BinaryOperator_Sub_Add: left_count = moments.null_count() - text.null_count()  ->  left_count = moments.null_count() + text.null_count()",
    ): FORMAT_PATH_ONLY,
    (
        "ingest/timestamps.py",
        "BinaryOperator_Mul_Div: if 2 * left_count > text.len():  ->  if 2 / left_count > text.len():",
    ): FORMAT_PATH_ONLY,
    (
        "ingest/timestamps.py",
        "ComparisonOperator_Gt_GtE: if 2 * left_count > text.len():  ->  if 2 * left_count >= text.len():",
    ): FORMAT_PATH_ONLY,
    (
        "ingest/timestamps.py",
        "AddNot: if 2 * left_count > text.len():  ->  if not 2 * left_count > text.len():",
    ): FORMAT_PATH_ONLY,
    (
        "ingest/timestamps.py",
        "NumberReplacer: for candidate in formats[1:]:  ->  for candidate in formats[ 0:]:",
    ): FORMAT_PATH_ONLY,
    (
        "ingest/timestamps.py",
        "NumberReplacer: if left_count == 0:  ->  if left_count == -1:",
    ): FORMAT_PATH_ONLY,
    (
        "ingest/timestamps.py",
        "NumberReplacer: if 2 * left_count > text.len():  ->  if 3 * left_count > text.len():",
    ): FORMAT_PATH_ONLY,
    (
        "ingest/timestamps.py",
        "NumberReplacer: if 2 * left_count > text.len():  ->  if 1 * left_count > text.len():",
    ): FORMAT_PATH_ONLY,
    (
        "ingest/timestamps.py",
        'FalseWithTrue: minutes = digits.str.slice(2, 2).replace("", None).cast(pl.Int64, strict=False).fill_null(0)  ->  minutes = digits.str.slice(2, 2).replace("", None).cast(pl.Int64, strict=True).fill_null(0)',
    ): DIGITS_ONLY,
    (
        "ingest/timestamps.py",
        "FalseWithTrue: with_offset = text.str.contains(_WITH_OFFSET).fill_null(False)  ->  with_offset = text.str.contains(_WITH_OFFSET).fill_null(True)",
    ): NULL_TEXT_STAYS_NULL,
}
