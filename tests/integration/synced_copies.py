"""A corp and a cache synced with it once per test module, and each test's own copies of both:
tests that start from a synced cache need not sync the same corp again."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from desktop.sandbox import SandboxConfig, SandboxServer
from desktop.services.profiles import Profile, ProfileStore
from desktop.services.sync import run_sync
from desktop.services.workspace import Workspace

ConfigFor = Callable[[Path], SandboxConfig]


def synced_template(root: Path, config: ConfigFor,
                    profile: Callable[[SandboxServer], Profile]) -> Path:
    """Generate the corp under `root / "sandbox"` and sync a cache of it under `root / "home"`."""
    with (SandboxServer(config(root / "sandbox")) as server,
          Workspace(root / "home", profile(server), server.secret) as workspace):
        run_sync(workspace.client(), workspace.cache)
    return root


def sandbox_copy(template: Path, tmp_path: Path, config: ConfigFor) -> Iterator[SandboxServer]:
    """A sandbox serving this test's copy of the template's corp (a fixture yields from it)."""
    shutil.copytree(template / "sandbox", tmp_path / "sandbox")
    with SandboxServer(config(tmp_path / "sandbox")) as server:
        yield server


def workspace_copy(template: Path, tmp_path: Path, profile: Profile,
                   secret: str) -> Iterator[Workspace]:
    """A workspace on this test's copy of the template's synced cache."""
    cache = ProfileStore(tmp_path / "home").cache_path(profile.name)
    shutil.copyfile(ProfileStore(template / "home").cache_path(profile.name), cache)
    with Workspace(tmp_path / "home", profile, secret) as workspace:
        yield workspace
