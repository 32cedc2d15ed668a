"""The organization export script writes the layout import_organization reads."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iamsim.world.importers import import_organization

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "export-organization.sh"

# A stand-in for the aws CLI that answers the Organizations calls the script
# makes from a saved export folder, applying --query as the real CLI does.
FAKE_AWS = """\
import json, sys
from pathlib import Path
import jmespath

SOURCE = Path({source!r})
FILES = {{
    "describe-organization": lambda a: "organization.json",
    "list-roots": lambda a: "roots.json",
    "list-accounts-for-parent": lambda a: f"accounts/{{a['--parent-id']}}.json",
    "list-organizational-units-for-parent":
        lambda a: f"ous/{{a['--parent-id']}}.json",
    "list-policies": lambda a: f"policies/{{a['--filter']}}.json",
    "list-targets-for-policy": lambda a: f"policy-targets/{{a['--policy-id']}}.json",
    "describe-policy": lambda a: f"policy-content/{{a['--policy-id']}}.json",
}}
service, operation, *rest = sys.argv[1:]
options = dict(zip(rest[::2], rest[1::2]))
data = json.loads((SOURCE / FILES[operation](options)).read_text())
if "--query" in options:
    data = jmespath.search(options["--query"], data)
if options.get("--output") == "text":
    items = data if isinstance(data, list) else [data]
    print("\\t".join("None" if item is None else str(item) for item in items))
else:
    print(json.dumps(data, indent=4))
"""


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_script_output_imports_like_the_saved_export(
    exports: Path, tmp_path: Path
) -> None:
    """Run against a fake aws CLI, the script reproduces the sample export."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "aws"
    source = exports / "organization"
    fake.write_text(
        f"#!{sys.executable}\n" + FAKE_AWS.format(source=str(source)),
        encoding="utf-8",
    )
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}

    subprocess.run(
        ["bash", str(SCRIPT), str(tmp_path / "out")],
        check=True,
        env=env,
        capture_output=True,
    )

    assert import_organization(tmp_path / "out") == import_organization(source)
