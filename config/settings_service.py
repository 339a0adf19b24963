"""Settings of the running service: when runs start, the warehouse connection, how much
run history is kept, and where alerts go. config/settings.py gathers them into `Settings`.
"""

from __future__ import annotations

from pydantic import Field

from config.settings_section import Section
from config.settings_types import (
    EmailAddress,
    HttpUrl,
    MemoryLimit,
    NonNegativeInt,
    TimeZone,
)


class ScheduleSettings(Section):
    """When the nightly refresh and the weekly model backtest run, in the shop's own time."""

    timezone: TimeZone | None = Field(
        None,
        description="The shop's time zone (IANA name): the schedules run at `hour` there and "
        "'yesterday' is the shop's yesterday, across daylight-saving changes; an export's "
        "date-time with a UTC offset (2024-03-05T14:22:01+01:00, ...Z) is converted to the "
        "local time here. Null (unset): the schedules run in UTC, and a date-time with an "
        "offset keeps the wall-clock time it was written with (the shop's local time as its "
        "platform wrote it, also across a daylight-saving change of the offset), so an order "
        "at 00:30+01:00 stays on its own day as in the shop's reports.",
    )
    hour: int = Field(
        2, ge=0, le=23, description="Hour of the day, in the shop's time, the schedules run."
    )
    late_days: NonNegativeInt = Field(
        2,
        description="Days before yesterday the nightly run loads again, so a late or "
        "re-exported file of those days is picked up; 0 loads yesterday alone.",
    )
    backtest_weekday: int = Field(
        0, ge=0, le=6, description="Day of the week of the model backtest (0 = Sunday, as cron)."
    )
    export_poll_seconds: int = Field(
        60,
        ge=1,
        description="How often the export-drop sensor looks for new or changed files in the "
        "exports folder (the least time between its ticks, in seconds).",
    )

    @property
    def run_timezone(self) -> str:
        """The zone the schedules run in: `timezone`, or UTC when it is unset."""
        return self.timezone or "UTC"


class WarehouseSettings(Section):
    """DuckDB connections to the warehouse (writers and read-only readers alike)."""

    memory_limit: MemoryLimit | None = Field(
        None,
        description="Memory limit of every warehouse connection; null: DuckDB's default, 80% of "
        "the machine's RAM. Past it DuckDB spills sorts, joins, windows and aggregates to "
        "temp_directory rather than failing.",
    )
    temp_directory: str = Field(
        "",
        description='Where DuckDB spills; "": DuckDB\'s default, `<warehouse file>.tmp` '
        "beside the warehouse.",
    )
    lock_timeout_seconds: float = Field(
        300,
        ge=0,
        description="How long a run waits, before it starts, for the warehouse's lock held by "
        "another process or its `duckdb` pool slot held by a live run, naming the holder; "
        "then it gives up with exit code 4 (busy). Slots of runs whose process died are "
        "freed at once.",
    )


class RetentionSettings(Section):
    """How much run history is kept (pipelines/retention.py): Dagster's finished runs with
    their event logs, compute logs and CLI run logs, and the warehouse tables that gain rows
    every run. Pruned after every CLI run and daily by the history_retention schedule; a
    run in progress is never deleted. 0 keeps everything."""

    run_days: NonNegativeInt = Field(
        90, description="Finished runs older than this many days are deleted, with their logs."
    )
    max_runs: NonNegativeInt = Field(
        1000,
        description="At most this many finished runs are kept (the newest); older ones are "
        "deleted even inside run_days.",
    )
    check_results_days: NonNegativeInt = Field(
        90, description="Days of quality.check_results rows kept (by checked_at)."
    )
    clv_model_days: NonNegativeInt = Field(
        365, description="Days of marts.clv_model rows kept (by run_at): the parameter drift shown."
    )
    build_log_days: NonNegativeInt = Field(
        90,
        description="Days of build_state.builds rows kept (by built_at); each table's newest "
        "build is always kept, the next incremental build starts from it.",
    )


class SmtpSettings(Section):
    """E-mail alerts through an SMTP server. The password is never in the file: it is read
    from the environment variable ORDERPULSE_SMTP_PASSWORD when `username` is set."""

    host: str = Field(min_length=1, description="SMTP server host name or address.")
    port: int = Field(
        587,
        ge=1,
        le=65535,
        description="SMTP server port (587: submission). Implicit TLS (port 465) is not "
        "supported: use 587 with starttls.",
    )
    sender: EmailAddress = Field(description="From address of the alert e-mails.")
    to: tuple[EmailAddress, ...] = Field(
        min_length=1, description="Addresses every alert is sent to."
    )
    starttls: bool = Field(
        True,
        description="Switch the connection to TLS (STARTTLS), checking the server's "
        "certificate, before logging in or sending; false only for a relay on the same host.",
    )
    username: str | None = Field(
        None,
        description="Login name on the SMTP server, with the password from the environment "
        "variable ORDERPULSE_SMTP_PASSWORD; null: send without logging in.",
    )


class WebhookSettings(Section):
    """Alerts posted as JSON to a webhook (Slack's incoming webhooks read its `text`)."""

    url: HttpUrl | None = Field(
        None,
        description="URL the alerts are posted to. The environment variable "
        "ORDERPULSE_ALERT_WEBHOOK_URL, when set, is used instead: a Slack webhook URL is a "
        "secret, keep it there rather than in the file. null and no variable: no webhook.",
    )


class AlertsSettings(Section):
    """Alerts when a run fails (sensor run_failure_alerts, docs/alerts.md): one e-mail and
    one webhook post per failed run, naming the failed step or blocking check and its cause."""

    ui_url: HttpUrl = Field(
        "http://localhost:3000",
        description="Address of the Dagster UI as the people alerted reach it; each alert "
        "links to `{ui_url}/runs/{run id}`.",
    )
    smtp: SmtpSettings | None = Field(
        None, description="E-mail alerts (keys below); null: no e-mail."
    )
    webhook: WebhookSettings = Field(
        default_factory=WebhookSettings, description="Webhook alerts (keys below)."
    )
