"""A failed run alerts once by e-mail and once by webhook: real refresh runs on tiny exports
on a real Dagster instance, the real run_failure_alerts sensor evaluated against it tick by
tick (as the daemon does, cursor and all), and a real SMTP server and webhook receiver on
127.0.0.1 (tests/pipelines/alert_receivers.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from config.resources import RunPaths, SettingsResource
from pipelines.alert_delivery import SMTP_PASSWORD_ENV, WEBHOOK_URL_ENV
from pipelines.definitions import build_definitions
from pipelines.runner import instance_for, run_refresh
from tests.pipelines.alert_receivers import SmtpReceiver, WebhookReceiver

pytestmark = pytest.mark.e2e

FIRST_DAY, DAYS = dt.date(2024, 1, 1), 5
LAST_DAY = FIRST_DAY + dt.timedelta(days=DAYS - 1)
SKUS = ("MUG", "PLATE", "BOWL")
# The shop's customer ids are e-mail addresses: none may reach an alert.
CUSTOMERS = ("alice@example.com", "bob@example.org")
UI = "http://dagster.shop.example:3000"


def _write_orders(exports: Path) -> None:
    """Five days of orders, every SKU every day."""
    (exports / "orders").mkdir(parents=True)
    for offset in range(DAYS):
        day = FIRST_DAY + dt.timedelta(days=offset)
        rows = [
            {
                "order_id": f"{day}-{n}",
                "ordered_at": f"{day} 10:0{n}:00",
                "sku": sku,
                "quantity": 2 + n,
                "unit_price": 4.5,
                "customer_id": CUSTOMERS[(offset + n) % 2],
            }
            for n, sku in enumerate(SKUS)
        ]
        pl.DataFrame(rows).write_csv(exports / "orders" / f"{day}.csv")


def _failed_run(root: Path, damage) -> tuple[RunPaths, dg.DagsterInstance, str | None, str]:
    """A refresh run over damaged tiny exports; the sensor's cursor from just before it."""
    exports = root / "exports"
    _write_orders(exports)
    damage(exports)
    paths = RunPaths(data_dir=str(root / "data"), exports_dir=str(exports))
    instance = instance_for(paths)
    # The sensor's first tick sets its cursor to the newest run-failure event (none yet).
    cursor = _tick(paths, instance, SettingsResource(), None).cursor
    outcome = run_refresh(paths, FIRST_DAY.isoformat(), LAST_DAY.isoformat(), progress=False)
    assert not outcome.success
    return paths, instance, cursor, outcome.run_id


def _bad_orders_mapping(exports: Path) -> None:
    (exports / "exports.yaml").write_text("orders: {mapping: my_orders.yaml}\n")
    (exports / "my_orders.yaml").write_text("columns: {order_no: Nr}\n")


def _stale_inventory(exports: Path) -> None:
    """Stock counted on the first day only: four days older than the newest orders."""
    (exports / "inventory").mkdir()
    rows = [{"snapshot_date": str(FIRST_DAY), "sku": sku, "on_hand": 50} for sku in SKUS]
    pl.DataFrame(rows).write_csv(exports / "inventory" / f"{FIRST_DAY}.csv")


@pytest.fixture(scope="module")
def failed_step(tmp_path_factory):
    return _failed_run(tmp_path_factory.mktemp("failed_step"), _bad_orders_mapping)


@pytest.fixture(scope="module")
def failed_check(tmp_path_factory):
    return _failed_run(tmp_path_factory.mktemp("failed_check"), _stale_inventory)


def _tick(paths, instance, settings: SettingsResource, cursor: str | None):
    """One evaluation of the deployment's run_failure_alerts sensor, as the daemon runs it."""
    defs = build_definitions(paths, settings)
    sensor = defs.resolve_sensor_def("run_failure_alerts")
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"settings": settings}
    )
    return sensor.evaluate_tick(context)


def _settings(tmp_path: Path, smtp: SmtpReceiver | None, webhook_url: str | None, username=None):
    lines = ["alerts:", f"  ui_url: {UI}"]
    if smtp is not None:
        lines += [
            "  smtp:",
            f"    host: 127.0.0.1\n    port: {smtp.port}\n    starttls: false",
            "    sender: orderpulse@shop.example",
            "    to: [ops@shop.example, buyer@shop.example]",
        ] + ([f"    username: {username}"] if username else [])
    if webhook_url is not None:
        lines.append(f"  webhook: {{url: '{webhook_url}'}}")
    (tmp_path / "settings.yaml").write_text("\n".join(lines) + "\n")
    return SettingsResource(settings_file=str(tmp_path / "settings.yaml"))


def _no_customer_data(text: str) -> None:
    assert not any(customer in text for customer in CUSTOMERS)


def test_a_failed_step_alerts_once_by_email_and_once_by_webhook(failed_step, tmp_path, monkeypatch):
    """Catches a failed run that alerts nobody, alerts twice when the tick is evaluated
    again, or alerts without the failed step, its cause, the run or the link to it."""
    paths, instance, cursor, run_id = failed_step
    monkeypatch.setenv(SMTP_PASSWORD_ENV, "s3cret")
    monkeypatch.delenv(WEBHOOK_URL_ENV, raising=False)
    with SmtpReceiver() as smtp, WebhookReceiver() as webhook:
        settings = _settings(tmp_path, smtp, webhook.url, username="alerts")
        tick = _tick(paths, instance, settings, cursor)
        assert [reaction.error for reaction in tick.dagster_run_reactions] == [None]
        assert len(smtp.messages) == 1 and len(webhook.posts) == 1

        mail = smtp.messages[0]
        assert mail["Subject"] == (
            f"orderpulse run failed: refresh {FIRST_DAY}..{LAST_DAY}, raw.orders"
        )
        assert mail["From"] == "orderpulse@shop.example"
        assert smtp.recipients == ["ops@shop.example", "buyer@shop.example"]
        assert smtp.logins == [("alerts", "s3cret", False)]
        body = mail.get_payload(decode=True).decode().replace("\r\n", "\n")
        assert f"orderpulse run {run_id} of job refresh" in body
        assert f"export days {FIRST_DAY}..{LAST_DAY}" in body
        failed = next(line for line in body.splitlines() if line.startswith("- raw.orders: "))
        assert "my_orders.yaml" in failed and "use order_id" in failed
        assert f"Run: {UI}/runs/{run_id}" in body
        _no_customer_data(body)

        path, content_type, post = webhook.posts[0]
        assert (path, content_type) == ("/hooks/orderpulse", "application/json")
        assert post["text"] == body.strip()
        assert (post["run_id"], post["job"], post["run_url"]) == (
            run_id,
            "refresh",
            f"{UI}/runs/{run_id}",
        )
        assert post["partitions"] == f"{FIRST_DAY}..{LAST_DAY}"
        assert [f["step"] for f in post["failures"]] == ["raw.orders"]
        assert (
            post["failures"][0]["check"] is None
            and "my_orders.yaml" in post["failures"][0]["cause"]
        )

        again = _tick(paths, instance, settings, tick.cursor)
        assert again.dagster_run_reactions == [] and again.cursor == tick.cursor
        assert len(smtp.messages) == 1 and len(webhook.posts) == 1


def test_a_failed_blocking_check_alert_names_the_check_and_why(failed_check, tmp_path, monkeypatch):
    """Catches an alert that says only that a step failed (Dagster's "blocking check
    failed") instead of naming the check and what it found, and a warning-only check
    (export freshness) reported as a failure. The webhook URL comes from its variable."""
    paths, instance, cursor, run_id = failed_check
    with SmtpReceiver() as smtp, WebhookReceiver() as webhook:
        monkeypatch.setenv(WEBHOOK_URL_ENV, webhook.url)
        settings = _settings(tmp_path, smtp, webhook_url=None)
        tick = _tick(paths, instance, settings, cursor)
        assert [reaction.error for reaction in tick.dagster_run_reactions] == [None]
        assert len(smtp.messages) == 1 and len(webhook.posts) == 1

    reason = (
        f"newest inventory snapshot {FIRST_DAY} is 4 days older than the newest order day "
        f"{LAST_DAY} (allowed 2)"
    )
    body = smtp.messages[0].get_payload(decode=True).decode().replace("\r\n", "\n")
    assert smtp.messages[0]["Subject"].endswith("staging/stg_inventory:inventory_not_stale")
    assert f"orderpulse run {run_id} of job refresh" in body
    assert f"- check staging/stg_inventory:inventory_not_stale failed: {reason}" in body
    assert "Dagster" not in body and "export_freshness" not in body
    (failure,) = webhook.posts[0][2]["failures"]
    assert failure["check"] == "staging/stg_inventory:inventory_not_stale"
    assert failure["step"] == "staging.stg_inventory_inventory_not_stale"
    assert failure["cause"].startswith(reason)
    _no_customer_data(body)


def test_a_webhook_that_fails_fails_the_tick_and_the_email_still_goes(
    failed_step, tmp_path, monkeypatch
):
    """Catches a delivery error swallowed in silence, one broken channel stopping the
    other, a failed tick sending the working channel's alert again, and the webhook's
    secret URL written into the tick's error."""
    paths, instance, cursor, run_id = failed_step
    monkeypatch.delenv(WEBHOOK_URL_ENV, raising=False)
    with SmtpReceiver() as smtp, WebhookReceiver(status=500) as webhook:
        settings = _settings(tmp_path, smtp, webhook.url)
        tick = _tick(paths, instance, settings, cursor)
        (reaction,) = tick.dagster_run_reactions
        assert reaction.error is not None
        error = reaction.error.to_string()
        assert f"alert for run {run_id} not delivered: webhook: webhook at 127.0.0.1:" in error
        assert "answered 500" in error and "delivered by e-mail" in error
        assert "/hooks/orderpulse" not in error
        assert len(smtp.messages) == 1 and len(webhook.posts) == 1

        again = _tick(paths, instance, settings, tick.cursor)
        assert again.dagster_run_reactions == []
        assert len(smtp.messages) == 1 and len(webhook.posts) == 1


def test_without_a_channel_the_tick_says_no_alert_was_sent(failed_step, monkeypatch):
    """Catches a deployment without alert settings that fails every tick, or skips in
    silence without saying which settings would turn alerts on."""
    paths, instance, cursor, run_id = failed_step
    monkeypatch.delenv(WEBHOOK_URL_ENV, raising=False)
    tick = _tick(paths, instance, SettingsResource(), cursor)
    assert tick.skip_message == (
        f"run {run_id} failed; no alert sent: set alerts.smtp or alerts.webhook.url in the "
        "settings file (docs/alerts.md)"
    )
