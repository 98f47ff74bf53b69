"""What the browser journeys share: a live server on a demo hub, Chromium, axe-core.

Debian's Chromium (/usr/bin/chromium) drives the pages; no browser is ever downloaded.
axe-core is vendored under tests/vendor (from the npm registry) and evaluated through the
DevTools protocol, so the app's Content-Security-Policy stays exactly as served.
"""

import os
import re
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CASEFLOW_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).parent / "artifacts"
PASSWORD = "pole-demo-2026"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
LOCALES = {"fr": "fr-CA", "en": "en-CA"}
# The last elements reaching past the viewport's right edge (outside scrolling tables).
WIDER_THAN_VIEWPORT = """[...document.querySelectorAll('body *')].filter(e =>
    e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
    && !e.closest('.table-responsive'))
  .slice(-4).map(e => e.tagName + '.' + e.className + ' ' + (e.innerText || '').slice(0, 40))"""


def browser_or_skip():
    """Return playwright's sync API, or skip; in CI (CI=true) a missing browser fails."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    missing = sync_playwright is None or not shutil.which(CHROMIUM)
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the browser journeys: playwright or {CHROMIUM} is missing")
    if missing:
        pytest.skip(f"playwright or {CHROMIUM} is not installed here")
    return sync_playwright


class LiveServer:
    """The app on a demo hub, served on a free port of 127.0.0.1 in a thread."""

    def __init__(self, directory: Path):
        from flask_migrate import upgrade
        from werkzeug.serving import make_server

        from caseflow import create_app
        from caseflow.desk.demo import load_demo
        from caseflow.desk.demo_dossiers import load_demo_dossiers
        from caseflow.extensions import db
        from tests.conftest import TEST_SETTINGS

        self.app = create_app({**TEST_SETTINGS, "TESTING": False,
                               "INSTANCE_PATH": str(directory), "SECRET_KEY": "journeys",
                               "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/hub.db"})
        with self.app.app_context():
            upgrade(directory=self.app.extensions["migrate"].directory)
            load_demo()
            db.session.flush()
            load_demo_dossiers()
            db.session.commit()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        with self.app.app_context():
            from caseflow.extensions import db

            db.engine.dispose()


class Visit:
    """One person's visit: every page it lands on is checked and photographed."""

    def __init__(self, page, base: str, name: str):
        self.page, self.base, self.name = page, base, name
        self.axe = AXE.read_text(encoding="utf-8")
        self.seen = []

    def goto(self, path: str, label: str | None = None):
        self.page.goto(self.base + path)
        return self.check(label or path)

    def check(self, label: str):
        """Check the page as it is now: axe-core, width, language; then a screenshot."""
        page = self.page
        page.wait_for_load_state("load")
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "home"
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe)  # through the DevTools protocol: CSP is not involved
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == [], f"{self.name} {label} {page.url}: {bad}"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            culprits = page.evaluate(WIDER_THAN_VIEWPORT)
            raise AssertionError(f"{self.name} {label}: page wider than the viewport by "
                                 f"{overflow}px: {culprits}")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{self.name}-{slug}.png"), full_page=True)
        self.seen.append(label)
        return page

    def login(self, email: str) -> None:
        """Log in with the keyboard alone: type, Tab, type, Enter."""
        page = self.page
        page.goto(self.base + "/login")
        self.check("login")
        page.locator("input[name=email]").focus()
        page.keyboard.type(email)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/login" not in page.url, page.url
