"""A bounded load generator: N clients, each a thread with its own HTTP session.

Each client sends its next request only when the previous one answered (closed loop), so the
load never exceeds N requests in flight. Latencies are measured per request.
"""

import re
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1) or found.group(2)


@dataclass
class Answer:
    status_code: int
    text: str
    headers: dict


class Session:
    """One client: a kept-alive connection and its cookies; redirects are not followed."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.connection: HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None) -> Answer:
        headers = {"Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return Answer(response.status, content.decode("utf-8", "replace"),
                      dict(response.getheaders()))

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Answer:
        return self.request("POST", path, data)


def logged_in(base_url: str, email: str, password: str) -> Session:
    """Return a session logged in through the login form, as a person would."""
    session = Session(base_url)
    page = session.get("/login")
    answer = session.post("/login", {
        "csrf_token": csrf_token(page.text), "email": email, "password": password})
    if answer.status_code not in (302, 303):
        raise RuntimeError(f"login as {email} failed: {answer.status_code}")
    return session


def anonymous(base_url: str) -> Session:
    return Session(base_url)


@dataclass
class Outcome:
    """What one scenario measured at one level of concurrency."""

    requests: int = 0
    errors: int = 0  # transport errors and 5xx
    non_2xx: int = 0  # anything but 2xx and the 303 after a POST
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    def summary(self) -> dict:
        return {"requests": self.requests, "errors": self.errors, "non_2xx": self.non_2xx,
                "req_per_s": round(self.throughput, 1),
                "p50_ms": round(self.percentile(0.50), 1),
                "p95_ms": round(self.percentile(0.95), 1),
                "p99_ms": round(self.percentile(0.99), 1),
                "mean_ms": round(statistics.fmean(self.latencies) * 1000, 1)
                if self.latencies else 0.0}


# A request: given the client's session and its running number, send it and return the answer.
Send = Callable[[Session, int], Answer]


def run(sessions: list[Session], send: Send, *, seconds: float,
        limit: int | None = None) -> Outcome:
    """Drive the sessions for `seconds` (or until `limit` requests in all)."""
    outcome = Outcome()
    lock = threading.Lock()
    numbers = iter(range(limit if limit is not None else 10**12))
    deadline = time.perf_counter() + seconds

    def client(session: Session) -> None:
        while time.perf_counter() < deadline:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            started = time.perf_counter()
            try:
                answer = send(session, number)
                status = answer.status_code
            except Exception:  # noqa: BLE001 - any failure of a request counts as an error
                status = 599
            elapsed = time.perf_counter() - started
            with lock:
                outcome.requests += 1
                outcome.latencies.append(elapsed)
                if status >= 500:
                    outcome.errors += 1
                if not (200 <= status < 300 or status == 303):
                    outcome.non_2xx += 1

    threads = [threading.Thread(target=client, args=(session,)) for session in sessions]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.seconds = time.perf_counter() - started
    return outcome
