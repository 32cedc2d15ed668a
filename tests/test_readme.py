"""The README's Python example runs as printed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_readme_python_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The quick Python example loads the bundled scenario and prints a decision."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert code is not None
    monkeypatch.chdir(ROOT)

    exec(compile(code.group(1), "README.md", "exec"), {})

    printed = capsys.readouterr().out
    assert printed.split()[0] in {"Allow", "ImplicitDeny", "ExplicitDeny"}
