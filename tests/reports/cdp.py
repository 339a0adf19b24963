"""A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe`.

Chromium reads commands from file descriptor 3 and writes replies and events to 4, each
message one JSON object ended by a NUL byte. A pipe needs no port, no websocket library
and no network, and the browser dies with the pipe. Loaded by conftest.py (the tests run
with --import-mode=importlib, so it is not importable by name).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import subprocess
import time
from pathlib import Path

# Headless, offline Chromium: no GPU, no background downloads, no first-run pages.
HEADLESS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
FLAGS = (*HEADLESS, "--hide-scrollbars", "--remote-debugging-pipe")

# Resolves when the page's chart script marks every chart drawn (or after 10 s), with the
# times since navigation start of the first screen drawn, every chart drawn and the load.
CHARTS_DRAWN = """new Promise(function (resolve) {
  var started = performance.now();
  function mark(name) {
    var entry = performance.getEntriesByName(name)[0];
    return entry ? entry.startTime : null;
  }
  (function poll() {
    var charts = Array.prototype.slice.call(document.querySelectorAll(".plotly-graph-div"));
    var drawn = charts.filter(function (c) {
      return c.classList.contains("js-plotly-plot") && c.querySelector(".plot-container svg.main-svg");
    });
    var all = mark("orderpulse:all-charts-drawn");
    if ((all !== null && drawn.length === charts.length) || performance.now() - started > 10000) {
      resolve({charts: charts.map(function (c) { return c.id; }),
               drawn: drawn.map(function (c) { return c.id; }),
               first_screen_ms: mark("orderpulse:first-screen-drawn"),
               drawn_ms: all,
               load_ms: performance.getEntriesByType("navigation")[0].loadEventEnd});
    } else { setTimeout(poll, 10); }
  })();
})"""


def _above_ten(descriptor: int) -> int:
    moved = fcntl.fcntl(descriptor, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(descriptor)
    return moved


class Browser:
    """One headless Chromium; `open_page` gives a tab to drive."""

    def __init__(self, chromium: Path, profile: Path, timeout: float = 60.0) -> None:
        self.timeout = timeout
        # Both pipe ends the child keeps are moved above fd 10 first, so dup2 onto 3 and 4
        # cannot overwrite one of them.
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        to_browser_read = _above_ten(to_browser_read)
        from_browser_write = _above_ten(from_browser_write)

        def wire_pipes() -> None:  # in the child, before exec: the pipes become fds 3 and 4
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        # close_fds=False: every other descriptor of ours is close-on-exec anyway, and
        # subprocess would otherwise close 3 and 4 after wire_pipes ran. wire_pipes only
        # calls dup2, which is async-signal-safe, so it is safe with threads (PLW1509).
        self.process = subprocess.Popen(
            [str(chromium), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            close_fds=False,
            preexec_fn=wire_pipes,  # noqa: PLW1509
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def close(self) -> None:
        os.close(self._to_browser)
        os.close(self._from_browser)
        self.process.kill()
        self.process.wait(timeout=30)

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(left, 0))
            if not ready:
                raise TimeoutError("chromium sent nothing before the deadline")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise ConnectionError("chromium closed the debugging pipe (crashed?)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, method: str, session: str) -> dict:
        """The first event `method` of the session, waiting for it when not yet seen."""
        deadline = time.monotonic() + self.timeout
        while True:
            for event in self.events:
                if event.get("method") == method and event.get("sessionId") == session:
                    self.events.remove(event)
                    return event
            self.events.append(self._read_message(deadline))

    def open_page(self, width: int, height: int, mobile: bool = False) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session)
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.send(domain, session=session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
            session=session,
        )
        return page


class Page:
    """One tab: navigate, evaluate JavaScript, collect console errors, take screenshots."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    def navigate(self, url: str) -> None:
        self.browser.send("Page.navigate", {"url": url}, session=self.session)
        self.browser.wait_for("Page.loadEventFired", self.session)

    def evaluate(self, expression: str) -> object:
        """The value of a JavaScript expression (promises awaited)."""
        result = self.browser.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=self.session,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def charts_drawn(self) -> dict:
        """Wait for the page's charts (`CHARTS_DRAWN`): ids, drawn ids and the timings."""
        return self.evaluate(CHARTS_DRAWN)

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and failed loads seen so far in this tab."""
        found = []
        for event in self.browser.events:
            if event.get("sessionId") != self.session:
                continue
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                found.append(params["exceptionDetails"].get("text", "exception"))
            elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") in (
                "error",
                "assert",
            ):
                found.append(
                    " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
                )
            elif event["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(f"{params['entry']['text']} {params['entry'].get('url', '')}")
        return found

    def screenshot(self, path: Path, full_page: bool = True) -> None:
        params = {"format": "png", "captureBeyondViewport": full_page}
        if full_page:
            width, height = self.evaluate(
                "[document.documentElement.clientWidth, document.documentElement.scrollHeight]"
            )
            params["clip"] = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        data = self.browser.send("Page.captureScreenshot", params, session=self.session)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        target = self.browser.send("Target.getTargetInfo", session=self.session)["targetInfo"][
            "targetId"
        ]
        self.browser.send("Target.closeTarget", {"targetId": target})
