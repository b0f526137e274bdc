"""What a pip install gets: every third-party import declared, resources/ inside the wheel,
and the frozen builds' pins in range."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
CODE = ROOT / "desktop"
RESOURCES = ROOT / "resources"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SERVER_ONLY = {CODE / "server"}       # the `server` extra's imports stay in desktop/server


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements(extra: str | None = None) -> dict[str, Requirement]:
    lines = PROJECT["dependencies"] if extra is None else PROJECT["optional-dependencies"][extra]
    return {_key(req.name): req for req in map(Requirement, lines)}


def _provided(requirements: dict[str, Requirement]) -> set[str]:
    """Distribution names the requirements install: `psycopg[pool]` brings `psycopg-pool`."""
    return {*requirements, *(f"{key}-{_key(extra)}" for key, req in requirements.items()
                             for extra in req.extras)}


def _third_party_imports() -> dict[str, set[Path]]:
    found: dict[str, set[Path]] = {}
    for path in CODE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0
                     and node.module else [])
            for name in names:
                top = name.split(".")[0]
                if top != "desktop" and top not in sys.stdlib_module_names:
                    found.setdefault(top, set()).add(path)
    return found


def test_every_third_party_import_is_a_declared_dependency() -> None:
    runtime, server = _requirements(), _requirements("server")
    distributions = importlib.metadata.packages_distributions()
    undeclared = []
    for module, paths in sorted(_third_party_imports().items()):
        owners = {_key(name) for name in distributions.get(module, [module])}
        server_only = all(any(folder in path.parents for folder in SERVER_ONLY)
                          for path in paths)
        declared = _provided(runtime) | (_provided(server) if server_only else set())
        if not owners & declared:
            undeclared.append(f"{module} ({sorted(owners)}) in {sorted(p.name for p in paths)}")
    assert undeclared == []


def test_the_frozen_pins_cover_every_runtime_dependency_within_its_range() -> None:
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints-frozen.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[_key(name)] = version.strip()
    for key, requirement in _requirements().items():
        assert key in pins, f"{requirement.name} is not pinned in constraints-frozen.txt"
        assert requirement.specifier.contains(pins[key], prereleases=True), (requirement, pins[key])
        assert not requirement.specifier.contains("999999"), \
            f"{requirement.name} has no upper bound in pyproject.toml"


@pytest.mark.slow
def test_the_wheel_carries_the_resources_and_finds_them_installed(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = tmp_path.glob("tagdesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    needed = [path.relative_to(RESOURCES).as_posix() for pattern in
              ("icons/*.svg", "style/*.qss", "translations/*.qm", "app/*", "scenes/*.json")
              for path in RESOURCES.glob(pattern)]
    assert len(needed) > 20
    missing = [name for name in needed if f"desktop/_resources/{name}" not in names]
    assert missing == []
    assert not any(name.endswith((".ts", ".png")) and "screenshots" in name for name in names)

    installed = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(installed)
    probe = subprocess.run(
        [sys.executable, "-c", "from desktop.resources import resources_dir, resource_path;"
         "print(resources_dir()); print(resource_path('style/tagdesk.qss'))"],
        capture_output=True, text=True, timeout=120, cwd=installed,
        env={**os.environ, "PYTHONPATH": str(installed)},
    )
    assert probe.returncode == 0, probe.stderr
    folder, style = probe.stdout.splitlines()
    assert Path(folder) == installed / "desktop" / "_resources"
    assert Path(style).read_text(encoding="utf-8") == \
        (RESOURCES / "style" / "tagdesk.qss").read_text(encoding="utf-8")


def test_a_checkout_finds_the_resources_beside_the_package() -> None:
    from desktop.resources import resource_path, resources_dir

    assert resources_dir() == RESOURCES
    assert resource_path("icons/tag.svg").is_file()
