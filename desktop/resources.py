"""Finding files in `resources/`: from a source checkout, an installed wheel, or a frozen bundle.

A checkout keeps them at the top of the repository; a wheel carries them as the data-only
package `desktop._resources` (see setup.py); PyInstaller puts them in `resources/` inside
the bundle (see build.spec).
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
INSTALLED = PACKAGE / "_resources"
CHECKOUT = PACKAGE.parent / "resources"


def resources_dir() -> Path:
    """Where the resources are: the frozen bundle's, the wheel's, else the checkout's."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    if INSTALLED.is_dir():
        return INSTALLED
    return CHECKOUT


def resource_path(relative: str) -> Path:
    """The path of a resource file; raises FileNotFoundError naming it when it is missing."""
    path = resources_dir() / relative
    if not path.exists():
        raise FileNotFoundError(f"TagDesk resource missing: {relative} (looked in {path})")
    return path
