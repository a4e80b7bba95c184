#!/usr/bin/env python3
"""Editor support, checked with the real client editors use: installs
yaml-language-server (1.20 or newer) from the npm registry into a cache
directory, starts it over stdio and speaks the language server protocol to
it, offline (schema store off, every HTTP request sent to a dead proxy).

Checks that
  1. the project's own machine files (examples/, machines/, the test
     boards in tests/e2e/boards/) load without a
     single diagnostic (no schema load error either);
  2. completion inside a device offers that kind's fields and no field of
     another kind;
  3. hovering a field shows its whole description;
  4. the schema's own error messages (errorMessage) reach the editor.

When npm cannot install the server the test is skipped (exit 77) with the
reason, except under CI=true, where it fails.

usage: yaml_language_server.py SOURCE_DIR CACHE_DIR
"""
import glob
import json
import os
import pathlib
import select
import shutil
import subprocess
import sys
import time

SERVER_SPEC = "yaml-language-server@>=1.20"
SKIP = 77


def install(cache):
    """Path of the server's entry point, installing it first if needed;
    None (and a printed reason) when that is not possible."""
    entry = os.path.join(cache, "node_modules", "yaml-language-server", "bin",
                         "yaml-language-server")
    if os.path.exists(entry):
        return entry
    npm = shutil.which("npm")
    if not npm or not shutil.which("node"):
        print("npm or node not found on PATH (scripts/setup installs them)")
        return None
    os.makedirs(cache, exist_ok=True)
    try:
        run = subprocess.run([npm, "install", "--prefix", cache, "--no-audit", "--no-fund",
                              "--loglevel=error", SERVER_SPEC],
                             capture_output=True, timeout=180, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        print("npm install timed out after 180 s (registry unreachable?)")
        return None
    if run.returncode != 0 or not os.path.exists(entry):
        print("npm install " + SERVER_SPEC + " failed:\n" + run.stderr.decode()[-1500:])
        return None
    return entry


class Server:
    def __init__(self, entry):
        env = dict(os.environ, HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9",
                   http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9")
        self.proc = subprocess.Popen(["node", entry, "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self.buf = b""
        self.next_id = 0
        self.diagnostics = {}  # uri -> latest list
        self.log = []

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def _read_message(self, deadline):
        while True:
            head, sep, rest = self.buf.partition(b"\r\n\r\n")
            if sep:
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length"))
                if len(rest) >= length:
                    self.buf = rest[length:]
                    return json.loads(rest[:length])
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                raise RuntimeError("the language server exited")
            self.buf += chunk

    def _handle(self, msg):
        """Answers the server's own requests; records notifications."""
        if "method" in msg and "id" in msg:  # server -> client request
            result = None
            if msg["method"] == "workspace/configuration":
                result = [settings()["yaml"] if item.get("section") == "yaml" else None
                          for item in msg["params"]["items"]]
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
        elif msg.get("method") == "textDocument/publishDiagnostics":
            self.diagnostics[msg["params"]["uri"]] = msg["params"]["diagnostics"]
        elif msg.get("method") == "window/logMessage":
            self.log.append(msg["params"]["message"])

    def request(self, method, params, timeout=20):
        self.next_id += 1
        my_id = self.next_id
        self.send({"jsonrpc": "2.0", "id": my_id, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            msg = self._read_message(deadline)
            if msg is None:
                raise RuntimeError(f"no answer to {method} in {timeout} s")
            if msg.get("id") == my_id and "method" not in msg:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result")
            self._handle(msg)

    def settle(self, uris, quiet=1.0, timeout=20):
        """Reads until every uri has diagnostics and nothing came for `quiet` s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = self._read_message(min(deadline, time.monotonic() + quiet))
            if msg is None:
                if all(u in self.diagnostics for u in uris):
                    return
                continue
            self._handle(msg)

    def close(self):
        try:
            self.request("shutdown", None, timeout=5)
            self.notify("exit", None)
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
            self.proc.wait()


def settings():
    return {"yaml": {"validate": True, "hover": True, "completion": True,
                     "schemaStore": {"enable": False}, "format": {"enable": False}},
            "http": {"proxy": "http://127.0.0.1:9", "proxyStrictSSL": False}}


def open_doc(server, uri, text):
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}})


def describe(diags):
    return "; ".join(f"{d['range']['start']['line'] + 1}: {d['message']}" for d in diags)


def main():
    src, cache = os.path.abspath(sys.argv[1]), sys.argv[2]
    entry = install(cache)
    if entry is None:
        if os.environ.get("CI") == "true":
            print("FAIL: yaml-language-server is required under CI=true")
            return 1
        print("SKIP: yaml-language-server could not be installed (see above)")
        return SKIP

    server = Server(entry)
    problems = []
    try:
        server.request("initialize", {
            "processId": os.getpid(), "rootUri": pathlib.Path(src).as_uri(),
            "capabilities": {"workspace": {"configuration": True},
                             "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                                              "completion": {"completionItem": {}}}},
            "workspaceFolders": [{"uri": pathlib.Path(src).as_uri(), "name": "vmcompose"}]},
            timeout=30)
        server.notify("initialized", {})
        server.notify("workspace/didChangeConfiguration", {"settings": settings()})

        # 1. The project's machine files: no diagnostics at all.
        files = sorted(glob.glob(f"{src}/examples/*.yaml") + glob.glob(f"{src}/machines/*/v*.yaml") +
                       glob.glob(f"{src}/tests/e2e/boards/**/*.yaml", recursive=True))
        uris = []
        for path in files:
            uri = pathlib.Path(path).as_uri()
            uris.append(uri)
            open_doc(server, uri, pathlib.Path(path).read_text())
        server.settle(uris, timeout=30)
        for path, uri in zip(files, uris):
            if uri not in server.diagnostics:
                problems.append(f"{os.path.relpath(path, src)}: no diagnostics published")
            elif server.diagnostics[uri]:
                problems.append(f"{os.path.relpath(path, src)}: {describe(server.diagnostics[uri])}")
        print(f"machine files: {len(files)} opened, "
              f"{sum(1 for u in uris if server.diagnostics.get(u))} with diagnostics")

        # Documents that exist only in the editor, beside the examples so that
        # the modeline's relative schema path resolves as in a real file.
        modeline = "# yaml-language-server: $schema=../schemas/machine.schema.yaml\n"
        probe = pathlib.Path(src, "examples", "editor-probe.yaml").as_uri()
        text = (modeline + "vmcompose: 1\nboard: ppce500@1\ndevices:\n"
                "  disk0:\n    type: virtio-blk\n    image: disk.img\n    \n")
        open_doc(server, probe, text)
        line = text.count("\n") - 1  # the empty line inside disk0
        items = server.request("textDocument/completion", {
            "textDocument": {"uri": probe}, "position": {"line": line, "character": 4}})
        items = items.get("items", []) if isinstance(items, dict) else (items or [])
        labels = {i["label"] for i in items}
        for want in ("readonly", "serial", "queue-size-max"):
            if want not in labels:
                problems.append(f"completion in a virtio-blk device lacks {want!r}: {sorted(labels)}")
        for other in ("console", "clock-frequency", "has-rstcr", "controller", "tap", "mac"):
            if other in labels:
                problems.append(f"completion in a virtio-blk device offers another kind's {other!r}")
        print(f"completion in virtio-blk: {sorted(labels)}")

        # 3. Hover on `image:` shows the whole description (a comma in it once cut it).
        hover = server.request("textDocument/hover", {
            "textDocument": {"uri": probe}, "position": {"line": line - 1, "character": 6}})
        contents = hover and hover.get("contents")
        shown = contents.get("value", "") if isinstance(contents, dict) else str(contents)
        if "relative to the file that names it" not in shown:
            problems.append(f"hover on virtio-blk image: {shown!r}")
        print(f"hover on image: {shown!r}")

        # 4. The schema's errorMessage texts reach the editor. (The server
        # shows them for type, enum, const, pattern and required failures;
        # a failed `minimum` gets its own generic text.)
        bad = pathlib.Path(src, "examples", "editor-probe-bad.yaml").as_uri()
        open_doc(server, bad, modeline + "vmcompose: 1\nboard: ppce500@1\ncpus: two\n"
                 "devices:\n  serial1: {type: ns16550, at: 0x4600, console: telnet}\n")
        server.settle([bad])
        messages = [d["message"] for d in server.diagnostics.get(bad, [])]
        for want in ("expected a number of CPUs, at least 1", "expected a console:"):
            if not any(want in m for m in messages):
                problems.append(f"diagnostic {want!r} not among {messages}")
        print(f"diagnostics on a bad file: {messages}")
    finally:
        server.close()

    for p in problems:
        print("FAIL: " + p)
    if not problems:
        print("yaml-language-server: machine files clean, completion per kind, hover, "
              "error messages: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
