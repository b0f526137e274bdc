"""The summary line a `tagdesk … --json` command ends with, read back by the tests."""

from __future__ import annotations

import json
import subprocess
from typing import Any


def last_json(output: str | subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The last stdout line as a JSON object; `output` is the stdout or the finished command."""
    stdout = output if isinstance(output, str) else output.stdout
    data = json.loads(stdout.strip().splitlines()[-1])
    assert isinstance(data, dict), f"the last line is not a JSON object: {data!r}"
    return data
