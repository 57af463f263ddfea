"""The README's Python tour runs, and prints what the README shows."""

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_python_tour() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## From Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    shown = re.search(r"```text\n(.*?)```", section, re.S)
    assert code is not None and shown is not None
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code.group(1), "README.md", "exec"), {})
    printed = out.getvalue().splitlines()
    expected = shown.group(1).splitlines()
    assert len(printed) == len(expected)
    for got, want in zip(printed, expected):
        # A line the README cuts short ends in "...": its start must match.
        if want.endswith("; ..."):
            assert got.startswith(want[: -len(" ...")])
        else:
            assert got == want
