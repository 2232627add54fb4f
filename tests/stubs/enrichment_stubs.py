"""Local HTTP stand-ins for GitHub's REST API and a web search API, driven through the real httpx clients."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the clients call from 16 threads at once


class _Stub:
    """A ThreadingHTTPServer on 127.0.0.1 (random port) that keeps every request (path, body, headers).

    `mode`: "ok", "error" (500), "timeout" (sleeps `timeout_sleep` before answering), "rate_limited" (GitHub: 403
    with X-RateLimit-Remaining 0 and X-RateLimit-Reset; search: 429 with Retry-After). `delay` is added to every
    answer (the bench's 50 ms)."""

    def __init__(self, mode: str = "ok", delay: float = 0.0, timeout_sleep: float = 3.0):
        self.mode, self.delay, self.timeout_sleep = mode, delay, timeout_sleep
        self.requests: list[dict] = []
        self.rate_limit_reset = 0  # epoch seconds sent in X-RateLimit-Reset
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, body: dict | None) -> None:
                with stub._lock:
                    stub.requests.append({"method": self.command, "path": self.path, "body": body,
                                          "headers": {k.lower(): v for k, v in self.headers.items()}})
                if stub.delay:
                    time.sleep(stub.delay)
                if stub.mode == "timeout":
                    time.sleep(stub.timeout_sleep)
                status, payload, headers = stub.respond(self.command, self.path, body)
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    for name, value in {"Content-Type": "application/json", **headers}.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

            def do_GET(self):
                self._answer(None)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = {"raw": raw.decode(errors="replace")}
                self._answer(body)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def start(self):
        return self.__enter__()

    def stop(self) -> None:
        self.__exit__(None, None, None)

    def respond(self, method: str, path: str, body: dict | None) -> tuple[int, object, dict]:
        raise NotImplementedError

    def error_answer(self) -> tuple[int, object, dict] | None:
        if self.mode == "error":
            return 500, {"message": "Server Error"}, {}
        return None


class GitHubStub(_Stub):
    """GET /users/{u} and /users/{u}/repos from `users` {username(lower): {"user": {...}, "repos": [...]}}; an
    unknown user is a 404. `user(...)` scripts one in GitHub's shape."""

    def __init__(self, mode: str = "ok", delay: float = 0.0, timeout_sleep: float = 3.0,
                 users: dict[str, dict] | None = None):
        super().__init__(mode, delay, timeout_sleep)
        self.users: dict[str, dict] = {k.lower(): v for k, v in (users or {}).items()}

    def user(self, username: str, *, languages: list[str] = (), bio: str | None = "Builder of things",
             blog: str = "", followers: int = 12, repos: list[str] | None = None) -> GitHubStub:
        """Script a user whose repositories use `languages` in order (one repo per entry)."""
        names = repos or [f"repo-{n}" for n in range(len(languages))]
        self.users[username.lower()] = {
            "user": {"login": username, "bio": bio, "blog": blog, "public_repos": len(names), "followers": followers,
                     "html_url": f"https://github.com/{username}"},
            "repos": [{"name": name, "language": languages[n] if n < len(languages) else None}
                      for n, name in enumerate(names)]}
        return self

    def user_requests(self) -> list[dict]:
        return [r for r in self.requests if r["path"].startswith("/users/") and "/repos" not in r["path"]]

    def repo_requests(self) -> list[dict]:
        return [r for r in self.requests if r["path"].startswith("/users/") and "/repos" in r["path"]]

    def respond(self, method, path, body):
        if (error := self.error_answer()) is not None:
            return error
        if self.mode == "forbidden":  # e.g. a blocked account: no rate-limit headers
            return 403, {"message": "Forbidden"}, {"X-RateLimit-Remaining": "4000"}
        if self.mode == "rate_limited":
            reset = self.rate_limit_reset or int(time.time()) + 3600
            return 403, {"message": "API rate limit exceeded"}, {"X-RateLimit-Remaining": "0",
                                                                  "X-RateLimit-Reset": str(reset)}
        parts = [unquote(p) for p in urlsplit(path).path.split("/") if p]
        if len(parts) < 2 or parts[0] != "users":
            return 404, {"message": "Not Found"}, {}
        found = self.users.get(parts[1].lower())
        if found is None:
            return 404, {"message": "Not Found"}, {}
        if len(parts) == 3 and parts[2] == "repos":
            return 200, found["repos"], {"X-RateLimit-Remaining": "4999"}
        return 200, found["user"], {"X-RateLimit-Remaining": "4999"}


class SearchStub(_Stub):
    """POST /search: the results scripted for a query containing a key of `answers` (case-insensitive), else
    `default_results` (a list of {"url", "title", "content"}; "{query}" in them is filled in)."""

    def __init__(self, mode: str = "ok", delay: float = 0.0, timeout_sleep: float = 3.0,
                 answers: dict[str, list[dict]] | None = None, default_results: list[dict] | None = None):
        super().__init__(mode, delay, timeout_sleep)
        self.answers: dict[str, list[dict]] = {k.lower(): v for k, v in (answers or {}).items()}
        self.default_results: list[dict] = default_results or []

    def search_requests(self) -> list[dict]:
        return [r for r in self.requests if r["path"].rstrip("/").endswith("/search")]

    def respond(self, method, path, body):
        if (error := self.error_answer()) is not None:
            return error
        if self.mode == "rate_limited":
            return 429, {"error": "rate limited"}, {"Retry-After": "1800"}
        if method != "POST" or not path.rstrip("/").endswith("/search"):
            return 404, {"error": "not found"}, {}
        query = str((body or {}).get("query") or "")
        results = next((v for k, v in self.answers.items() if k in query.lower()), None)
        if results is None:
            results = [{k: str(v).replace("{query}", query) for k, v in r.items()} for r in self.default_results]
        return 200, {"query": query, "results": results}, {}
