"""Alerts about a failed run: the message, and its delivery by e-mail (SMTP) and webhook.

No Dagster here: pipelines/alerts.py reads the failed run from the Dagster instance and
hands over a `RunAlert`; this module words it and sends it with the standard library
(smtplib, urllib). The channels come from the settings section `alerts` and two
environment variables for the secrets (docs/alerts.md).

An alert goes to chat rooms and mailboxes, so it carries no export row contents: each
cause is one line, cut to MAX_CAUSE_CHARS, with any e-mail address in it masked (a SQL
error can quote the value it could not convert).
"""

from __future__ import annotations

import json
import re
import smtplib
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from email.message import EmailMessage

from config.settings_service import AlertsSettings, SmtpSettings
from config.settings_types import http_url

SMTP_PASSWORD_ENV = "ORDERPULSE_SMTP_PASSWORD"
WEBHOOK_URL_ENV = "ORDERPULSE_ALERT_WEBHOOK_URL"
MAX_CAUSE_CHARS = 300
MAX_FAILURES_SHOWN = 5  # failures listed in one alert; the rest are counted
TIMEOUT_SECONDS = 20
_EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


@dataclass(frozen=True)
class Failure:
    """One reason a run failed: a step's error, or a blocking check that did not pass
    (pipelines/run_log.py `step_failure` reads them from the run's events; the CLI's
    summary and the alerts word them with `line`)."""

    step: str  # the step as the UI shows it, e.g. "raw.orders"
    cause: str  # cause_line of the step's error, or the failed check's description
    check: str | None = None  # e.g. "staging/stg_inventory:inventory_not_stale"

    def line(self) -> str:
        if self.check is not None:
            return f"check {self.check} failed: {self.cause}"
        return f"{self.step}: {self.cause}"


@dataclass(frozen=True)
class RunAlert:
    """What an alert says about one failed run."""

    run_id: str
    job: str
    partitions: str | None  # the run's export days, e.g. "2024-01-01..2024-01-05"
    failures: tuple[Failure, ...]
    run_url: str  # the run in the Dagster UI


@dataclass(frozen=True)
class Channels:
    """Where alerts go: the SMTP settings and password, and the webhook URL (None: off)."""

    smtp: SmtpSettings | None = None
    smtp_password: str | None = None
    webhook_url: str | None = None

    def names(self) -> list[str]:
        return [name for name, on in (("e-mail", self.smtp), ("webhook", self.webhook_url)) if on]


class AlertConfigError(ValueError):
    """An alert channel is configured but cannot be used; the message says what to set."""


def alert_channels(settings: AlertsSettings, env: Mapping[str, str]) -> Channels:
    """The channels the settings and the environment turn on.

    Raises:
        AlertConfigError: an SMTP username without ORDERPULSE_SMTP_PASSWORD, or an
            ORDERPULSE_ALERT_WEBHOOK_URL that is not an http(s) URL.
    """
    password = env.get(SMTP_PASSWORD_ENV) or None
    if settings.smtp is not None and settings.smtp.username and password is None:
        raise AlertConfigError(
            f"alerts.smtp.username is set but {SMTP_PASSWORD_ENV} is not: set the SMTP "
            "password in that environment variable"
        )
    url = settings.webhook.url
    if env.get(WEBHOOK_URL_ENV):
        try:
            url = http_url(env[WEBHOOK_URL_ENV])
        except ValueError:
            raise AlertConfigError(f"{WEBHOOK_URL_ENV} is not an http(s) URL with a host") from None
    return Channels(settings.smtp, password, url)


def one_line(text: str, limit: int = MAX_CAUSE_CHARS) -> str:
    """`text` on one line, e-mail addresses masked, cut to `limit` characters."""
    line = " / ".join(part.strip() for part in text.splitlines() if part.strip())
    line = _EMAIL_ADDRESS.sub("<e-mail>", line)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def subject(alert: RunAlert) -> str:
    """`orderpulse run failed: refresh 2024-01-01..2024-01-05, raw.orders`."""
    days = f" {alert.partitions}" if alert.partitions else ""
    first = alert.failures[0] if alert.failures else None
    what = (first.check or first.step) if first else "no step failed"
    return f"orderpulse run failed: {alert.job}{days}, {what}"


def alert_text(alert: RunAlert) -> str:
    """The alert in plain text: the run, each failure and its cause, the link to the run."""
    days = f", export days {alert.partitions}" if alert.partitions else ""
    shown = alert.failures[:MAX_FAILURES_SHOWN]
    lines = [f"orderpulse run {alert.run_id} of job {alert.job}{days} failed."]
    lines += [f"- {one_line(failure.line())}" for failure in shown]
    if len(alert.failures) > len(shown):
        lines.append(f"- and {len(alert.failures) - len(shown)} more failures (see the run)")
    if not alert.failures:
        lines.append("- no step reported an error: see the run's events")
    lines.append(f"Run: {alert.run_url}")
    return "\n".join(lines)


def webhook_body(alert: RunAlert) -> dict:
    """The JSON posted to the webhook: Slack shows `text`; the other fields are for machines."""
    failures = [
        {**asdict(failure), "cause": one_line(failure.cause)}
        for failure in alert.failures[:MAX_FAILURES_SHOWN]
    ]
    return {
        "text": alert_text(alert),
        "run_id": alert.run_id,
        "job": alert.job,
        "partitions": alert.partitions,
        "run_url": alert.run_url,
        "failures": failures,
        "failure_count": len(alert.failures),
    }


def email_message(alert: RunAlert, smtp: SmtpSettings) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject(alert)
    message["From"] = smtp.sender
    message["To"] = ", ".join(smtp.to)
    message.set_content(alert_text(alert) + "\n")
    return message


def send_email(alert: RunAlert, smtp: SmtpSettings, password: str | None) -> None:
    """Send the alert through the SMTP server (STARTTLS, checking the server's certificate,
    and login as configured). Implicit TLS (port 465) is not supported: use port 587."""
    with smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS) as server:
        if smtp.starttls:
            # smtplib's own default context does not check the server's certificate.
            server.starttls(context=ssl.create_default_context())
        if smtp.username:
            server.login(smtp.username, password or "")
        server.send_message(email_message(alert, smtp))


def post_webhook(alert: RunAlert, url: str) -> None:
    """POST the alert as JSON.

    Raises:
        OSError: the server cannot be reached or answers with an error status; the
            message names the host, never the URL (a Slack webhook URL is a secret).
    """
    request = urllib.request.Request(
        url,
        data=json.dumps(webhook_body(alert)).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    host = urllib.parse.urlsplit(url).netloc
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):
            pass
    except urllib.error.HTTPError as error:
        raise OSError(f"webhook at {host} answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, TimeoutError) as error:
        reason = getattr(error, "reason", error)
        raise OSError(f"webhook at {host} could not be reached: {reason}") from None


def deliver(alert: RunAlert, channels: Channels) -> dict[str, str | None]:
    """Send the alert on every channel; one channel failing does not stop the other.

    Returns:
        {channel name: None when delivered, else the reason it was not}.
    """
    outcome: dict[str, str | None] = {}
    if channels.smtp is not None:
        try:
            send_email(alert, channels.smtp, channels.smtp_password)
            outcome["e-mail"] = None
        except (OSError, smtplib.SMTPException) as error:
            outcome["e-mail"] = f"SMTP server {channels.smtp.host}:{channels.smtp.port}: {error}"
    if channels.webhook_url is not None:
        try:
            post_webhook(alert, channels.webhook_url)
            outcome["webhook"] = None
        except OSError as error:
            outcome["webhook"] = str(error)
    return outcome
