"""A real Taguette for the tests: its own virtual environment, a server on a free loopback port,
and a client that goes through Taguette's own web interface (standard library HTTP only).

Taguette 1.5.2 pins SQLAlchemy 1.4, so it lives in a virtual environment of its own:
``TRUSTKG_TAGUETTE_VENV`` (``.ci/run`` makes it), or one made here on first use under the
temporary folder. Taguette asks msg.taguette.org for news at start and every day; the launcher
below switches that off (with no network the page then waits forever). Single-user mode prints a
join URL with a token, which logs the client (or the browser) in as ``admin``.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from .servers import free_port

VERSION = "1.5.2"

#: run with the Taguette environment's python: Taguette's own command line, with the daily
#: fetch of https://msg.taguette.org/<version> replaced by "no messages"
LAUNCHER = """
import sys
import taguette.web.base as base

def no_messages(self):
    self.messages = []
    self.messages_event.set()

base.Application.check_messages = no_messages
from taguette.main import main
sys.argv[0] = "taguette"
main()
"""


def taguette_python() -> str:
    """The python of a virtual environment holding Taguette; made when missing, else skip."""
    venv = Path(
        os.environ.get("TRUSTKG_TAGUETTE_VENV")
        or Path(tempfile.gettempdir()) / f"trustkg-taguette-{VERSION}"
    )
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import taguette, sys; print(taguette.__version__)"]
    if python.is_file() and subprocess.run(probe, capture_output=True).returncode == 0:
        return str(python)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"taguette=={VERSION}"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"Taguette {VERSION} could not be installed in {venv}: {exc}")
    return str(python)


class TaguetteServer:
    """``taguette --no-browser`` on 127.0.0.1 with its database in a temporary folder."""

    def __init__(self, python: str, workdir: Path) -> None:
        self.python = python
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.join_url = ""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> TaguetteServer:
        self.port = free_port()
        env = dict(os.environ, HOME=str(self.workdir), TORNADO_SHUTDOWN_TIME="0")
        self.log = open(self.workdir / "taguette.log", "w+", encoding="utf-8")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                self.python,
                "-c",
                LAUNCHER,
                "--no-browser",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "--database",
                str(self.workdir / "taguette.sqlite3"),
            ],
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env=env,
        )
        deadline = time.monotonic() + 60
        assert self.proc.stdout is not None
        while not self.join_url:
            line = self.proc.stdout.readline()
            if (not line and self.proc.poll() is not None) or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"Taguette did not start: {self.logged()}")
            m = re.search(r"http://localhost:\d+/\?token=[0-9a-f]+", line)
            if m:
                self.join_url = m.group(0).replace("localhost", "127.0.0.1")
        while True:  # it listens before it prints; make sure anyway
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"Taguette did not answer: {self.logged()}")
                time.sleep(0.05)

    def logged(self) -> str:
        self.log.flush()
        return (self.workdir / "taguette.log").read_text(encoding="utf-8")[-2000:]

    def stop(self) -> None:
        """SIGTERM (Taguette's own handler stops its loop), then a kill if it lingers."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.log.close()


class _Inputs(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inputs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "input":
            self.inputs.append(dict(attrs))

    handle_startendtag = handle_starttag


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # the client reads Location itself
        return None


class TaguetteClient:
    """Taguette's web interface as its page uses it (forms with ``_xsrf``, JSON API)."""

    def __init__(self, server: TaguetteServer) -> None:
        self.base = server.base
        self.token = urllib.parse.parse_qs(urllib.parse.urlsplit(server.join_url).query)["token"][0]
        self.cookies = CookieJar()
        self.http = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect
        )

    def _xsrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "_xsrf") or ""

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict, bytes]:
        req = urllib.request.Request(
            self.base + path, data=body, method=method, headers=headers or {}
        )
        try:
            with self.http.open(req, timeout=60) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as exc:  # 3xx (not followed) and errors
            return exc.code, dict(exc.headers), exc.read()

    def expect(self, wanted: tuple[int, ...], method: str, path: str, **kw) -> tuple[dict, bytes]:
        status, headers, data = self.request(method, path, **kw)
        assert status in wanted, f"{method} {path}: {status} {data[:300]!r}"
        return headers, data

    def form(
        self,
        path: str,
        fields: list[tuple[str, str]],
        files: dict[str, tuple[str, bytes, str]] | None = None,
        wanted: tuple[int, ...] = (200, 302, 303),
    ) -> tuple[dict, bytes]:
        """POST a form as the page sends it, with its _xsrf field: URL-encoded, or multipart
        when it uploads a file."""
        fields = [*fields, ("_xsrf", self._xsrf())]
        if not files:
            body = urllib.parse.urlencode(fields).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            return self.expect(wanted, "POST", path, body=body, headers=headers)
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, data, mime) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'
            )
            parts.append(head.encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.expect(wanted, "POST", path, body=body, headers=headers)

    def api(self, path: str, payload: dict) -> dict:
        _, data = self.expect(
            (200,),
            "POST",
            path,
            body=json.dumps(payload).encode(),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-XSRFToken": self._xsrf(),
            },
        )
        return json.loads(data)

    # -- what a researcher does --------------------------------------------------------------
    def login(self) -> None:
        self.expect((302,), "GET", f"/?token={self.token}")
        self.expect((200,), "GET", "/project/new")  # a page with a form sets the _xsrf cookie
        assert any(c.name == "user" for c in self.cookies), "the token did not log in"

    def new_project(self, name: str, description: str) -> int:
        headers, _ = self.form(
            "/project/new", [("name", name), ("description", description)], wanted=(302, 303)
        )
        return int(re.search(r"/project/(\d+)$", headers["Location"]).group(1))

    def import_codebook(self, project: int, csv_data: bytes, filename: str) -> int:
        """Taguette's own two steps: upload the CSV, then confirm the form it shows."""
        path = f"/project/{project}/import_codebook"
        _, page = self.form(path, [], {"file": (filename, csv_data, "text/csv")}, wanted=(200,))
        parser = _Inputs()
        parser.feed(page.decode("utf-8"))
        fields = []
        for attrs in parser.inputs:
            name = attrs.get("name") or ""
            if not name.startswith("tag"):
                continue
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    fields.append((name, "on"))
            else:
                fields.append((name, attrs.get("value") or ""))
        assert fields, page[:500]
        self.form(path, fields, wanted=(302, 303))
        return sum(1 for name, _ in fields if name.endswith("-path"))

    def add_document(
        self, project: int, name: str, description: str, filename: str, html_data: bytes
    ) -> int:
        _, data = self.form(
            f"/api/project/{project}/document/new",
            [("name", name), ("description", description), ("text_direction", "LEFT_TO_RIGHT")],
            {"file": (filename, html_data, "text/html")},
            wanted=(200,),
        )
        return json.loads(data)["created"]

    def document_html(self, project: int, document: int) -> str:
        _, data = self.expect((200,), "GET", f"/api/project/{project}/document/{document}/contents")
        return "".join(c["contents"] for c in json.loads(data)["contents"])

    def tags(self, project: int) -> dict[str, dict]:
        """path → tag, as the project page embeds them (Taguette has no GET API for tags)."""
        _, page = self.expect((200,), "GET", f"/project/{project}")
        m = re.search(r"\bvar tags = (\{.*?\});\n", page.decode("utf-8"))
        return {t["path"]: t for t in json.loads(m.group(1).replace("\\x3C", "<")).values()}

    def new_tag(self, project: int, path: str, description: str) -> int:
        return self.api(
            f"/api/project/{project}/tag/new", {"path": path, "description": description}
        )["id"]

    def highlight(self, project: int, document: int, start: int, end: int, tags: list[int]) -> int:
        return self.api(
            f"/api/project/{project}/document/{document}/highlight/new",
            {"start_offset": start, "end_offset": end, "tags": tags},
        )["id"]

    def export(self, project: int, what: str) -> bytes:
        """What Taguette's export menu downloads (``project.sqlite3``, ``codebook.qdc``...)."""
        return self.expect((200,), "GET", f"/project/{project}/export/{what}")[1]


def byte_span(text: str, passage: str) -> tuple[int, int]:
    """Taguette's offsets of ``passage`` in a document's text: UTF-8 bytes, as its page counts
    them when a researcher selects the words."""
    at = text.index(passage)
    start = len(text[:at].encode("utf-8"))
    return start, start + len(passage.encode("utf-8"))
