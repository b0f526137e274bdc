"""Finding files in `resources/`, from a source checkout or from a frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """`resources/` beside the package, or inside the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(relative: str) -> Path:
    """The path of a resource file; raises FileNotFoundError naming it when it is missing."""
    path = resources_dir() / relative
    if not path.exists():
        raise FileNotFoundError(f"TagDesk resource missing: {relative} (looked in {path})")
    return path
