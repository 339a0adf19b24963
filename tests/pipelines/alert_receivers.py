"""A small SMTP server and a webhook receiver on 127.0.0.1, for the alert tests.

Both are real servers on free ports, run in a thread: the alerts travel through smtplib
and urllib exactly as they would to a mail relay or to Slack. The SMTP server speaks the
part of the protocol a client needs to hand over a message (EHLO, STARTTLS when given a
certificate, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) and keeps each message it accepts.
"""

from __future__ import annotations

import base64
import email
import http.server
import json
import socketserver
import ssl
import threading
from email.message import Message
from typing import Self


class _SmtpSession(socketserver.StreamRequestHandler):
    server: SmtpReceiver

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def _start_tls(self) -> None:
        self.connection = self.server.tls.wrap_socket(self.connection, server_side=True)
        self.rfile = self.connection.makefile("rb")
        self.wfile = self.connection.makefile("wb", buffering=0)
        self.encrypted = True

    def handle(self) -> None:
        self.encrypted = False
        self._reply("220 127.0.0.1 test SMTP server")
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250-127.0.0.1")
                if self.server.tls is not None and not self.encrypted:
                    self._reply("250-STARTTLS")
                self._reply("250 AUTH PLAIN")
            elif verb == "STARTTLS":
                self._reply("220 2.0.0 ready to start TLS")
                self._start_tls()
            elif verb == "AUTH":
                # AUTH PLAIN base64("\0user\0password")
                _, user, password = base64.b64decode(command.split()[2]).decode().split("\0")
                self.server.logins.append((user, password, self.encrypted))
                self._reply("235 2.7.0 authenticated")
            elif verb == "DATA":
                self._reply("354 end data with <CR><LF>.<CR><LF>")
                self.server.messages.append(self._data())
                self._reply("250 2.0.0 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:  # MAIL FROM, RCPT TO, RSET, NOOP
                if verb == "RCPT":
                    self.server.recipients.append(command.split(":", 1)[1].strip(" <>"))
                self._reply("250 OK")

    def _data(self) -> Message:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return email.message_from_bytes(b"".join(lines))


class SmtpReceiver(socketserver.ThreadingTCPServer):
    """An SMTP server on 127.0.0.1 (a free port) keeping the messages it receives; with
    `tls` (a server-side SSL context) it offers STARTTLS."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, tls: ssl.SSLContext | None = None):
        super().__init__(("127.0.0.1", 0), _SmtpSession)
        self.tls = tls
        self.messages: list[Message] = []
        self.recipients: list[str] = []
        self.logins: list[tuple[str, str, bool]] = []  # user, password, over TLS
        self.port = self.server_address[1]

    def __enter__(self) -> Self:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


class _WebhookHandler(http.server.BaseHTTPRequestHandler):
    server: WebhookReceiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.append(
            (self.path, self.headers["Content-Type"], json.loads(body.decode()))
        )
        self.send_response(self.server.status)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


class WebhookReceiver(http.server.ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 keeping each JSON POST; answers `status` (200: ok)."""

    daemon_threads = True

    def __init__(self, status: int = 200):
        super().__init__(("127.0.0.1", 0), _WebhookHandler)
        self.status = status
        self.posts: list[tuple[str, str, dict]] = []
        self.url = f"http://127.0.0.1:{self.server_address[1]}/hooks/orderpulse"

    def __enter__(self) -> Self:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
