"""The README's two commands are the ones CI and a newcomer run."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text())


def test_readme_starts_with_the_two_commands():
    start, test = _readme_commands()[:2]
    assert "caseflow init-db" in start and "caseflow demo" in start and "caseflow run" in start
    assert "pytest" in test


def test_ci_runs_the_readme_test_command():
    test_command = _readme_commands()[1]
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()
