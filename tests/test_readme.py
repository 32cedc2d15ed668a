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


def test_readme_scenario_example_holds() -> None:
    """The README's scenario example loads and its expectation holds."""
    from datetime import UTC, datetime

    from iamsim.world.scenario import scenario_from_text

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.DOTALL)
    assert block is not None

    scenario = scenario_from_text(block.group(1), source="README.md")

    for request in scenario.requests:
        decision = scenario.world.authorize(request.query, now=datetime.now(UTC))
        assert request.expect is not None
        assert request.expect.is_met_by(decision.effect)
