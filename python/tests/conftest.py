"""Shared fixtures and the fuzz counts printed at the end of the run."""

from pathlib import Path
from typing import Any

# Cases each fuzz test ran, by entry point (filled by test_fuzz.py).
FUZZ_CASES: dict[str, int] = {}

# The repository's small trade files, shared with the Rust tests.
DATA = Path(__file__).resolve().parents[2] / "tests" / "data"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FUZZ_CASES:
        total = sum(FUZZ_CASES.values())
        terminalreporter.write_line(f"fuzz cases: {total} in all")
        for name, n in sorted(FUZZ_CASES.items()):
            terminalreporter.write_line(f"  {name}: {n}")
