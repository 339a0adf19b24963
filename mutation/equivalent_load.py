"""Equivalent survivors of ingest/'s load step: the day chunks, the row rules and the
quarantine's masking (load.py, rules.py, quarantine_privacy.py); see mutation/equivalent.py,
which reads these too. The rest of ingest/ is in mutation/equivalent_ingest.py.
"""

from __future__ import annotations

ONE_READ_PENDING = (
    "one read is pending at most: the next chunk's read is submitted only after the "
    "previous one's result was taken, so a second worker would never have work"
)

READ_PAST_THE_LAST_CHUNK = (
    "the read-ahead then also submits a read of the chunk after the last one: it fails "
    "inside its future (IndexError on `chunks`), which nothing awaits (the loop has ended; "
    "the executor's shutdown only waits for it to finish, and concurrent.futures never "
    "raises an exception no one asked for), so every chunk is read once, in order, and "
    "written as before"
)

CHUNK_BUDGET = (
    "the byte budget only decides where a range's chunk boundaries fall (memory held and "
    "commits made; a chunk always holds at least one day, so a budget of 16.0 bytes, what "
    "either division gives, makes one chunk per day file); a range loads the same rows, "
    "quarantine and log in any chunking "
    "(tests/ingest/test_load.py loads one range in one-file chunks and in one chunk and "
    "compares). The budget's size is a measured cost trade-off (docs/performance.md), "
    "not a rule a load must keep, so no test of behaviour can tell it"
)


FIRST_SIZE_UNREAD = (
    "the byte count set before the loop is never read: on the first day `not chunks` is "
    "true, so the condition short-circuits before `size` and the new chunk sets it to 0"
)


HAS_KEY_SKIPS_WORK = (
    "has_key only lets the duplicate checks be skipped: with a key column empty on every "
    "row, `checked` (every key value present) is false on every row, so key_repeats finds "
    "no repeat and no row is a duplicate whether or not the checks run; speed only"
)


KEY_REPEATS_ERRS_TOWARDS_TRUE = (
    "key_repeats only decides whether the exact check (duplicate_of) runs; every variant "
    "groups rows by the same key or a coarser one (the first key column alone, or a hash "
    "of the key, which only collides towards a repeat), so it is true whenever the real "
    "key repeats and duplicate_of marks the same rows; speed only"
)


ONE_COLUMN_KEY = "on this branch the key has one column, so key[0] and key[-1] are the same"

LOAD_EQUIVALENT: dict[tuple[str, str], str] = {
    (
        "ingest/load.py",
        "BinaryOperator_Mul_Div: LOAD_CHUNK_BYTES = 16 * 1024 * 1024  ->  "
        "LOAD_CHUNK_BYTES = 16 / 1024 * 1024",
    ): CHUNK_BUDGET,
    (
        "ingest/load.py",
        "BinaryOperator_Mul_Div: LOAD_CHUNK_BYTES = 16 * 1024 * 1024  ->  "
        "LOAD_CHUNK_BYTES = 16 * 1024 / 1024",
    ): CHUNK_BUDGET,
    (
        "ingest/load.py",
        "NumberReplacer: size = 0  ->  size = 1",
    ): FIRST_SIZE_UNREAD,
    (
        "ingest/load.py",
        "NumberReplacer: LOAD_CHUNK_BYTES = 16 * 1024 * 1024  ->  "
        "LOAD_CHUNK_BYTES = 16 * 1025 * 1024",
    ): "a tuning constant 0.1 % larger: the byte budget only decides where a range's chunk "
    "boundaries fall (memory held and commits made); a range loads the same rows, quarantine "
    "and log in any chunking (tests/ingest/test_load.py loads one range in one-file chunks "
    "and in one chunk and compares), and the budget's exact value is a measured choice, "
    "not a rule a load must keep",
    (
        "ingest/load.py",
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): "no code assigns to a field of a LoadReport or hashes one: load_days builds it once and "
    "its readers (assets/raw.py, bench/run.py, bench/ingest_throughput.py, the tests) only "
    "read its fields and properties (checked with grep); frozen only forbids that",
    (
        "ingest/load.py",
        "NumberReplacer: LOAD_CHUNK_BYTES = 16 * 1024 * 1024  ->  LOAD_CHUNK_BYTES = 17 * 1024 * 1024",
    ): CHUNK_BUDGET,
    (
        "ingest/load.py",
        "NumberReplacer: LOAD_CHUNK_BYTES = 16 * 1024 * 1024  ->  LOAD_CHUNK_BYTES = 15 * 1024 * 1024",
    ): CHUNK_BUDGET,
    (
        "ingest/load.py",
        "NumberReplacer: LOAD_CHUNK_BYTES = 16 * 1024 * 1024  ->  LOAD_CHUNK_BYTES = 16 * 1023 * 1024",
    ): CHUNK_BUDGET,
    (
        "ingest/load.py",
        "NumberReplacer: LOAD_CHUNK_BYTES = 16 * 1024 * 1024  ->  LOAD_CHUNK_BYTES = 16 * 1024 * 1023",
    ): CHUNK_BUDGET,
    (
        "ingest/load.py",
        "NumberReplacer: LOAD_CHUNK_BYTES = 16 * 1024 * 1024  ->  LOAD_CHUNK_BYTES = 16 * 1024 * 1025",
    ): CHUNK_BUDGET,
    (
        "ingest/load.py",
        "NumberReplacer: TEXT_CHUNK_BYTES = 4 * LOAD_CHUNK_BYTES  ->  TEXT_CHUNK_BYTES = 5 * LOAD_CHUNK_BYTES",
    ): CHUNK_BUDGET,
    (
        "ingest/load.py",
        "NumberReplacer: TEXT_CHUNK_BYTES = 4 * LOAD_CHUNK_BYTES  ->  TEXT_CHUNK_BYTES = 3 * LOAD_CHUNK_BYTES",
    ): CHUNK_BUDGET,
    # day_chunks: the `size = 0` before the loop (the key also names the one after a split,
    # which tests/ingest/test_load.py kills: those mutants are not survivors).
    (
        "ingest/load.py",
        "NumberReplacer: size = 0  ->  size = -1",
    ): FIRST_SIZE_UNREAD,
    (
        "ingest/quarantine_privacy.py",
        "TrueWithFalse: mapped[column].cast(pl.String()).str.contains(_PROBE, literal=True)"
        ".any()  ->  mapped[column].cast(pl.String()).str.contains(_PROBE, literal=False).any()",
    ): "_PROBE is '\\x1fpersonal-data-probe\\x1f': no character of it is special in a regular "
    "expression (a hyphen outside brackets is itself), so the pattern matches exactly the "
    "literal string",
    (
        "ingest/quarantine_privacy.py",
        'TrueWithFalse: for value, fields in zip(broken["raw_value"], broken["fields"], '
        'strict=True)  ->  for value, fields in zip(broken["raw_value"], broken["fields"], '
        "strict=False)",
    ): "both are columns of the same frame, so they always have the same length and "
    "strict never raises",
    (
        "ingest/rules.py",
        "ComparisonOperator_Lt_LtE: name in KEY_DEFAULTS or text[name].null_count() < text.height for name in UNIQUE_KEYS[kind]  ->  name in KEY_DEFAULTS or text[name].null_count() <= text.height for name in UNIQUE_KEYS[kind]",
    ): HAS_KEY_SKIPS_WORK,
    (
        "ingest/rules.py",
        "ComparisonOperator_Eq_NotEq: key = values[0] if len(values) == 1 else pl.struct(values).hash()  ->  key = values[0] if len(values) != 1 else pl.struct(values).hash()",
    ): KEY_REPEATS_ERRS_TOWARDS_TRUE,
    (
        "ingest/rules.py",
        "AddNot: key = values[0] if len(values) == 1 else pl.struct(values).hash()  ->  key = values[0] if not len(values) == 1 else pl.struct(values).hash()",
    ): KEY_REPEATS_ERRS_TOWARDS_TRUE,
    (
        "ingest/rules.py",
        "NumberReplacer: key = values[0] if len(values) == 1 else pl.struct(values).hash()  ->  key = values[ -1] if len(values) == 1 else pl.struct(values).hash()",
    ): KEY_REPEATS_ERRS_TOWARDS_TRUE,
    (
        "ingest/rules.py",
        "NumberReplacer: key = values[0] if len(values) == 1 else pl.struct(values).hash()  ->  key = values[0] if len(values) == 2 else pl.struct(values).hash()",
    ): KEY_REPEATS_ERRS_TOWARDS_TRUE,
    (
        "ingest/rules.py",
        "NumberReplacer: key = values[0] if len(values) == 1 else pl.struct(values).hash()  ->  key = values[0] if len(values) == 0 else pl.struct(values).hash()",
    ): KEY_REPEATS_ERRS_TOWARDS_TRUE,
    (
        "ingest/rules.py",
        "NumberReplacer: label = key[0] if len(key) == 1 else f\"({', '.join(key)})\"  ->  label = key[ -1] if len(key) == 1 else f\"({', '.join(key)})\"",
    ): ONE_COLUMN_KEY,
    (
        "ingest/load.py",
        "BinaryOperator_Add_Sub: ahead = reader.submit(read_chunk, index + 1) if index + 1 < "
        "len(chunks) else None  ->  ahead = reader.submit(read_chunk, index + 1) if index - 1 "
        "< len(chunks) else None",
    ): READ_PAST_THE_LAST_CHUNK,
    (
        "ingest/load.py",
        "ComparisonOperator_Lt_LtE: ahead = reader.submit(read_chunk, index + 1) if index + 1 "
        "< len(chunks) else None  ->  ahead = reader.submit(read_chunk, index + 1) if index + 1 "
        "<= len(chunks) else None",
    ): READ_PAST_THE_LAST_CHUNK,
    (
        "ingest/load.py",
        'NumberReplacer: with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead") '
        'as reader:  ->  with ThreadPoolExecutor(max_workers= 2, thread_name_prefix="read-ahead") '
        "as reader:",
    ): ONE_READ_PENDING,
    (
        "ingest/load.py",
        "NumberReplacer: ahead = reader.submit(read_chunk, index + 1) if index + 1 < len(chunks) "
        "else None  ->  ahead = reader.submit(read_chunk, index + 1) if index + 0 < len(chunks) "
        "else None",
    ): READ_PAST_THE_LAST_CHUNK,
}
