"""Export days: one partition per calendar day of the drop folder (`orders/2011-03-04.csv`)."""

import dagster as dg

# An early fixed start so any shop's history fits; partitions with no file load zero rows.
EXPORT_DAYS = dg.DailyPartitionsDefinition(start_date="2009-01-01", end_offset=1)
