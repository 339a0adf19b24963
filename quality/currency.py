"""One currency per shop: money in different currencies is never summed.

Order rows may be in any ISO 4217 currency (ingest checks the code), and a shop whose rows
all name one currency needs no setting. The marts sum money (net sales, CLV, abandoned
cart value) with no exchange rates, so a shop whose order lines hold several currencies
stops here, before any of them, with each currency's row count, an example line of each
and the setting that resolves it.
"""

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from config.pools import DUCKDB_POOL
from quality.results import gate_result, record_results
from quality.table_rules import Gate

ORDER_LINES = dg.AssetKey(["staging", "stg_order_lines"])
CHECK_NAME = "single_currency"


def single_currency(con: duckdb.DuckDBPyConnection) -> Gate:
    """Whether every order line of staging.stg_order_lines is in one currency.

    Args:
        con: warehouse connection with staging.stg_order_lines.

    Returns:
        A Gate with `lines` per currency; examples are the first line of each currency
        (order, file and line of the export).
    """
    per_currency = con.sql(
        "select currency, count(*) as lines, "
        "arg_min(order_id, (source_file, source_line)) as order_id, "
        "arg_min(source_file, (source_file, source_line)) as file, "
        "arg_min(source_line, (source_file, source_line)) as line "
        "from staging.stg_order_lines group by currency order by lines desc, currency"
    ).pl()
    counts = dict(zip(per_currency["currency"], per_currency["lines"], strict=True))
    evidence: dict[str, object] = {"lines": counts}
    if len(counts) <= 1:
        currency = next(iter(counts), None)
        return Gate(True, f"all order lines in {currency or 'no currency (no orders)'}", evidence)
    main = per_currency["currency"][0]
    named = ", ".join(f"{c} ({n} lines)" for c, n in counts.items())
    return Gate(
        False,
        f"order lines hold {len(counts)} currencies: {named}; sums of money would mix them. "
        f"Fix: set ingest.accepted_currencies: [{main}] in the settings to report in {main} "
        f"(lines in other currencies go to quarantine), or, if the other lines name no "
        f"currency in the export, set ingest.currency: {main}",
        evidence,
        per_currency,
    )


@dg.asset_check(
    asset=ORDER_LINES,
    name=CHECK_NAME,
    blocking=True,
    pool=DUCKDB_POOL,
    description="Every order line is in one currency: the marts sum money without exchange "
    "rates. Fails naming each currency, an example line of each and the setting to change.",
)
def single_currency_check(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource
) -> dg.AssetCheckResult:
    with duckdb.get_connection() as con:
        result = gate_result(single_currency(con))
        return record_results(con, context.run.run_id, [result], ORDER_LINES, CHECK_NAME)[0]
