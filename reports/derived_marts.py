"""Marts the metric catalogue derives from stored tables when a page is published, rather
than tables of their own: rows over which a sum per day means something the stored tables
do not date by day.

Each is the SQL of its rows with a `day` column, read as a subquery named after the mart
(`reports.metric_catalogue.Mart.relation`), so a metric of it is evaluated by the same
code as one of a stored daily mart, over any range, in SQL and in the browser. They read
only marts and the loader's and checks' bookkeeping (reports/inputs.py lists them all).
"""

from __future__ import annotations

# One row per customer with a placed order, dated by the first order: customers acquired on
# a day, and whether they ordered again by the data's end. A range then selects customers
# who first bought in it (a cohort), however late their repeat order came.
CUSTOMER_ACQUISITIONS = """
select first_order_date as day, country, 1 as customers_acquired,
    is_repeat_customer::integer as repeat_customers_acquired,
    revenue as revenue_of_acquired
from marts.customers
where orders > 0
"""

# One row per export file loaded, dated by its export day.
EXPORT_LOADS = """
select export_date as day, kind, rows_read, rows_loaded, rows_quarantined
from quality.load_log
"""

# One row per check evaluation, dated by the newest export day loaded when it ran: the day
# of data it judged. Nightly, that is the night's export; in a backfill (the demo loads a
# year and checks once) every evaluation falls on the last export day. An evaluation from
# before any load has no day and is left out. The run's own date would put a backfill's
# checks years after its data, outside any range of export days.
CHECK_EVALUATIONS = """
with dated as (
    select
        (
            select max(l.export_date) from quality.load_log as l
            where l.loaded_at <= c.checked_at
        ) as day,
        1 as check_evaluations,
        (not c.passed and c.severity <> 'WARN')::integer as checks_failed,
        (not c.passed and c.severity = 'WARN')::integer as checks_warned
    from quality.check_results as c
)
select * from dated where day is not null
"""
