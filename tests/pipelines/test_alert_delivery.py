"""The alert's wording and channels, on hand-made alerts (the delivery itself is tested end
to end in test_alerts.py)."""

import shutil
import ssl
import subprocess
from pathlib import Path

import pytest
import yaml

from config.settings import Settings
from config.settings_errors import SettingsError
from config.settings_file import load_settings
from config.settings_service import AlertsSettings, SmtpSettings
from pipelines.alert_delivery import (
    MAX_CAUSE_CHARS,
    SMTP_PASSWORD_ENV,
    WEBHOOK_URL_ENV,
    AlertConfigError,
    Failure,
    RunAlert,
    alert_channels,
    alert_text,
    one_line,
    send_email,
    subject,
    webhook_body,
)
from tests.pipelines.alert_receivers import SmtpReceiver

OPENSSL = shutil.which("openssl")
SMTP = {
    "host": "mail.shop.example",
    "sender": "orderpulse@shop.example",
    "to": ["ops@shop.example"],
}


def _alert(*failures: Failure) -> RunAlert:
    return RunAlert("r-1", "refresh", "2024-01-01..2024-01-05", failures, "http://ui:3000/runs/r-1")


def test_a_long_cause_is_cut_to_one_line():
    """Catches a cause of many lines (a SQL error quoting its query) flooding a chat room."""
    cause = "orders/2024-01-05.csv: 3 problems\n    line 4: x\n" + "select " * 200
    line = one_line(cause)
    assert "\n" not in line and len(line) == MAX_CAUSE_CHARS and line.endswith("…")
    assert line.startswith("orders/2024-01-05.csv: 3 problems / line 4: x / select")


def test_an_email_address_in_a_cause_is_masked():
    """Catches a customer's e-mail address (quoted by a conversion error) sent to Slack."""
    cause = "Conversion Error: Could not convert string 'jane.doe+shop@mail.example.co.uk' to INT64"
    assert one_line(cause) == "Conversion Error: Could not convert string '<e-mail>' to INT64"
    body = webhook_body(_alert(Failure("raw.orders", cause)))
    assert "jane.doe" not in str(body)


def test_an_alert_lists_a_few_failures_and_counts_the_rest():
    """Catches an alert of fifty lines when fifty SKU checks fail, or one that hides that
    there were more."""
    failures = [Failure(f"step_{n}", f"cause {n}") for n in range(7)]
    text = alert_text(_alert(*failures))
    assert text.splitlines() == [
        "orderpulse run r-1 of job refresh, export days 2024-01-01..2024-01-05 failed.",
        *(f"- step_{n}: cause {n}" for n in range(5)),
        "- and 2 more failures (see the run)",
        "Run: http://ui:3000/runs/r-1",
    ]
    assert webhook_body(_alert(*failures))["failure_count"] == 7


def test_the_subject_names_the_check_of_a_failed_blocking_check():
    check = Failure("staging.x_check", "too old", "staging/x:not_stale")
    assert subject(_alert(check)) == (
        "orderpulse run failed: refresh 2024-01-01..2024-01-05, staging/x:not_stale"
    )
    assert "- check staging/x:not_stale failed: too old" in alert_text(_alert(check))


def test_the_smtp_password_comes_from_its_variable():
    """Catches a login attempted with no password (the server's refusal would be the only
    hint) instead of naming the variable to set."""
    settings = AlertsSettings(smtp={**SMTP, "username": "alerts"})
    with pytest.raises(AlertConfigError, match=SMTP_PASSWORD_ENV):
        alert_channels(settings, {})
    channels = alert_channels(settings, {SMTP_PASSWORD_ENV: "s3cret"})
    assert channels.smtp_password == "s3cret" and channels.names() == ["e-mail"]


def test_the_webhook_url_variable_wins_and_is_checked():
    """Catches a secret webhook URL that must be written into the settings file, or a typo
    in the variable that fails only when the first run fails."""
    settings = AlertsSettings(webhook={"url": "https://hooks.example/file"})
    assert alert_channels(settings, {}).webhook_url == "https://hooks.example/file"
    env = {WEBHOOK_URL_ENV: "https://hooks.example/env"}
    assert alert_channels(settings, env).webhook_url == "https://hooks.example/env"
    with pytest.raises(AlertConfigError, match=WEBHOOK_URL_ENV) as error:
        alert_channels(settings, {WEBHOOK_URL_ENV: "hooks.example/T000/secret"})
    assert "secret" not in str(error.value)
    assert alert_channels(AlertsSettings(), {}).names() == []


def test_bad_addresses_and_urls_in_the_settings_file_are_named(tmp_path):
    """Catches an alert setting that is accepted as written and fails at 2 am."""
    (tmp_path / "s.yaml").write_text(
        "alerts:\n  ui_url: localhost:3000\n"
        "  smtp: {sender: ops, to: [ops@shop.example, 'ops at shop']}\n"
        "  webhook: {url: 'ftp://hooks.example/x'}\n"
    )
    with pytest.raises(SettingsError) as error:
        load_settings(str(tmp_path / "s.yaml"))
    assert error.value.problems == [
        "alerts.ui_url = 'localhost:3000': not an http(s) URL with a host; "
        "allowed: URL http:// or https:// with a host",
        "alerts.smtp.host: missing; it is required (text)",
        "alerts.smtp.sender = 'ops': not an e-mail address; "
        "allowed: e-mail address such as ops@shop.example",
        "alerts.smtp.to[1] = 'ops at shop': not an e-mail address; "
        "allowed: e-mail address such as ops@shop.example",
        "alerts.webhook.url = 'ftp://hooks.example/x': not an http(s) URL with a host; "
        "allowed: URL http:// or https:// with a host",
    ]
    assert Settings().alerts.smtp is None and Settings().alerts.webhook.url is None


def test_the_alerts_page_example_and_variables_are_current():
    """Catches docs/alerts.md showing settings the file would refuse, or variables the
    sensor does not read."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "alerts.md").read_text()
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert Settings.model_validate(yaml.safe_load(example)).alerts.smtp.port == 587
    assert f"`{SMTP_PASSWORD_ENV}`" in doc and f"`{WEBHOOK_URL_ENV}`" in doc


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1 and a server context holding it."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return cert, context


@pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command for a test certificate")
def test_starttls_checks_the_certificate_before_logging_in(certificate, monkeypatch):
    """Catches the password sent before TLS, or TLS that trusts any certificate (smtplib's
    default context does), which hands the password to whoever answers on the way."""
    cert, context = certificate
    alert = _alert(Failure("raw.orders", "bad file"))
    with SmtpReceiver(tls=context) as smtp:
        settings = SmtpSettings(**{**SMTP, "host": "127.0.0.1", "port": smtp.port}, username="u")
        with pytest.raises(ssl.SSLCertVerificationError):
            send_email(alert, settings, "s3cret")
        assert smtp.logins == [] and smtp.messages == []
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # now the certificate is trusted
        send_email(alert, settings, "s3cret")
    assert smtp.logins == [("u", "s3cret", True)] and len(smtp.messages) == 1
