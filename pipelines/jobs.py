"""The one job: refresh the whole warehouse for a range of export days.

Raw assets load only the days of the run's partition range; everything downstream is
rebuilt from the staged history, so a late file for an old day flows all the way through.
"""

import dagster as dg

from config.partitions import EXPORT_DAYS

REFRESH_JOB_NAME = "refresh"

refresh_job = dg.define_asset_job(
    REFRESH_JOB_NAME,
    selection=dg.AssetSelection.all(),
    partitions_def=EXPORT_DAYS,
    description="Load the export days of the partition range into raw, then rebuild staging, "
    "marts, forecasts, reorder recommendations and the dashboards.",
)
