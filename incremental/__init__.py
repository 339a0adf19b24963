"""Incremental builds: recompute only what changed, exactly as a rebuild from scratch would.

- visitor_build: staging.stg_traffic_events and marts.sessions rebuilt per changed visitor;
- visitor_plan, build_state: which visitors changed, and the lineage kept in build_state;
- key_build, key_plan: staging.stg_order_lines and staging.stg_inventory rebuilt per order
  and per snapshot day whose raw rows (or catalog entries) changed;
- day_build, day_plan, daily_marts: the daily marts recomputed from the first day whose inputs
  changed, found by per-day fingerprints of their inputs;
- visitor_buckets, sku_ranges: full builds of large inputs in parts (visitor buckets, SKU
  ranges), so that memory grows with one part;
- written: which days each build rewrote, for the checks that validate only those rows;
- copy_plan: the rows the nightly analyst copy copies again (those written since the last copy);
- backtest_cadence: whether the model backtest must run again or its last result still serves.

No Dagster here: the assets read Dagster's state (run config, the last materialization) and
pass it in.
"""
