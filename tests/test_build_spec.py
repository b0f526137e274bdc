"""build.spec: its data files cover every resource the app loads at run time, its Qt trimming
keeps what TagDesk uses, and each platform branch sets names, icons, version and bundle id.

The spec is executed as PyInstaller executes it, with stand-ins for Analysis, EXE and the
rest that record their arguments, once per platform.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import desktop
from desktop.domain.bilingual import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
RESOURCES = ROOT / "resources"
CODE = ROOT / "desktop"


# -- running the spec ------------------------------------------------------------------------


@dataclass
class Build:
    """What one execution of the spec asked PyInstaller to do."""

    namespace: dict[str, Any]
    analysis: dict[str, Any] = field(default_factory=dict)
    exes: list[dict[str, Any]] = field(default_factory=list)
    collect: dict[str, Any] = field(default_factory=dict)
    bundle: dict[str, Any] | None = None


class _Analysis:
    def __init__(self, build: Build, scripts: list[str], **kwargs: Any) -> None:
        build.analysis = {"scripts": scripts, **kwargs}
        self.datas = [(f"{folder}/{Path(source).name}", source, "DATA")
                      for source, folder in kwargs["datas"]]
        self.binaries: list[tuple[str, str, str]] = []
        self.pure: list[Any] = []
        self.scripts: list[Any] = []


def run_spec(platform: str, monkeypatch: pytest.MonkeyPatch, workpath: Path,
             collect: Callable[[str], list[str]] | None = None, *, debug: bool = False) -> Build:
    import PyInstaller.utils.hooks as hooks  # imported before sys.platform is changed

    if collect is not None:
        monkeypatch.setattr(hooks, "collect_submodules", collect)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setenv("TAGDESK_BUILD_DEBUG", "1" if debug else "0")
    build = Build(namespace={})

    def record(target: list[dict[str, Any]] | None, key: str) -> Callable[..., dict[str, Any]]:
        def call(*args: Any, **kwargs: Any) -> dict[str, Any]:
            kwargs["args"] = args
            if target is not None:
                target.append(kwargs)
            else:
                setattr(build, key, kwargs)
            return kwargs
        return call

    build.namespace.update({
        "SPECPATH": str(ROOT), "workpath": str(workpath), "DISTPATH": str(workpath / "dist"),
        "Analysis": lambda scripts, **kw: _Analysis(build, scripts, **kw),
        "PYZ": lambda *a, **kw: ("PYZ", a), "EXE": record(build.exes, ""),
        "COLLECT": record(None, "collect"), "BUNDLE": record(None, "bundle"),
    })
    with monkeypatch.context() as patch:
        patch.setattr(sys, "platform", platform)
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), build.namespace)
    return build


@pytest.fixture(scope="module")
def linux(tmp_path_factory: pytest.TempPathFactory) -> Build:
    with pytest.MonkeyPatch.context() as monkeypatch:
        return run_spec("linux", monkeypatch, tmp_path_factory.mktemp("work"))


def _stub_collect(package: str) -> list[str]:
    return [package]


# -- what the code loads from resources/ -------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """One place in the code that loads from resources/: a file, a pattern, or a folder."""

    where: str
    prefix: str
    suffix: str = ""
    exact: bool = False

    def matches(self, relative: str) -> bool:
        if self.exact:
            return relative == self.prefix
        return relative.startswith(self.prefix) and relative.endswith(self.suffix)


_PATH_CALL = re.compile(r'resource_path\(\s*(f?)"([^"]+)"\s*\)')
_DIR_USE = re.compile(r'resources_dir\(\)\s*/\s*"([^"]+)"')
_ICON_NAME = re.compile(r'\bicon\(\s*"([\w-]+)"|\bicon_name\s*=\s*"([\w-]+)"')


def resource_references() -> tuple[list[Reference], list[str]]:
    """Every resource the code loads, and the uses the scan cannot read (computed paths)."""
    references: list[Reference] = []
    unreadable: list[str] = []
    for path in sorted(CODE.rglob("*.py")):
        if path == CODE / "resources.py":
            continue
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        for match in _PATH_CALL.finditer(text):
            where = f"{name}:{text.count(chr(10), 0, match.start()) + 1}"
            literal = match.group(2)
            if match.group(1):
                references.append(Reference(where, literal.split("{")[0],
                                            literal.rsplit("}", 1)[-1]))
            else:
                references.append(Reference(where, literal, exact=True))
        for match in _DIR_USE.finditer(text):
            where = f"{name}:{text.count(chr(10), 0, match.start()) + 1}"
            references.append(Reference(where, match.group(1).rstrip("/") + "/"))
        for match in _ICON_NAME.finditer(text):
            where = f"{name}:{text.count(chr(10), 0, match.start()) + 1}"
            icon_name = match.group(1) or match.group(2)
            references.append(Reference(where, f"icons/{icon_name}.svg", exact=True))
        calls = len(re.findall(r"\bresource_path\(", text)) - len(_PATH_CALL.findall(text))
        dirs = len(re.findall(r"\bresources_dir\(\)", text)) - len(_DIR_USE.findall(text))
        if calls or dirs:
            unreadable.append(name)
    return references, unreadable


def source_resources() -> list[str]:
    return sorted(p.relative_to(RESOURCES).as_posix() for p in RESOURCES.rglob("*")
                  if p.is_file() and not p.name.startswith("."))


def bundled(datas: list[tuple[str, str]]) -> set[str]:
    """Paths relative to resources/ as they land in the bundle."""
    names = set()
    for source, folder in datas:
        destination = Path(folder) / Path(source).name
        names.add(destination.relative_to("resources").as_posix())
    return names


def uncovered(references: list[Reference], in_bundle: set[str],
              build_only: Callable[[str], bool]) -> list[str]:
    """Why the bundle would miss something a reference loads ([] when it misses nothing)."""
    problems = []
    sources = source_resources()
    for ref in references:
        wanted = [name for name in sources if ref.matches(name) and not build_only(name)]
        if not wanted:
            problems.append(f"{ref.where} loads {ref.prefix}…{ref.suffix}, and resources/"
                            " holds no such file")
        problems += [f"{ref.where} loads {name}, which the bundle lacks"
                     for name in wanted if name not in in_bundle]
    return problems


def _build_only(build: Build) -> Callable[[str], bool]:
    import fnmatch

    patterns = build.namespace["BUILD_ONLY_RESOURCES"]
    return lambda name: any(fnmatch.fnmatch(name, p) for p in patterns)


def test_the_bundle_covers_every_resource_the_code_loads(linux: Build) -> None:
    references, unreadable = resource_references()
    assert not unreadable, f"resource paths the scan cannot check (use a literal): {unreadable}"
    found = {ref.prefix for ref in references}
    assert {"style/tagdesk.qss", "icons/", "translations/", "icons/tagdesk.svg"} <= found
    datas = linux.analysis["datas"]
    assert datas == linux.namespace["resource_datas"]()
    assert uncovered(references, bundled(datas), _build_only(linux)) == []


def test_the_check_notices_a_missing_file_and_a_dangling_reference(linux: Build) -> None:
    references, _ = resource_references()
    datas = [d for d in linux.analysis["datas"] if not d[0].endswith("tagdesk.qss")]
    assert any("loads style/tagdesk.qss, which the bundle lacks" in problem
               for problem in uncovered(references, bundled(datas), _build_only(linux)))
    ghost = Reference("desktop/ui/x.py:1", "templates/", "")
    assert uncovered([ghost], bundled(datas), _build_only(linux)) == [
        "desktop/ui/x.py:1 loads templates/…, and resources/ holds no such file"]


def test_build_only_files_stay_out_and_the_code_never_loads_them(linux: Build) -> None:
    in_bundle = bundled(linux.analysis["datas"])
    build_only = _build_only(linux)
    left_out = {name for name in source_resources() if name not in in_bundle}
    assert left_out == {name for name in source_resources() if build_only(name)}
    assert all(not name.endswith(".ts") for name in in_bundle)
    references, _ = resource_references()
    assert not [ref for ref in references if build_only(ref.prefix + "x" + ref.suffix)
                or (ref.exact and build_only(ref.prefix))]


def test_no_module_reads_files_beside_the_code() -> None:
    """In a frozen bundle the package has no files beside it: data goes through resources."""
    offenders = []
    for path in CODE.rglob("*.py"):
        if path == CODE / "resources.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"__file__|importlib\.resources|pkgutil\.get_data|pkg_resources", text):
            offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []


# -- the app started from a bundle laid out by the spec --------------------------------------


def _fake_bundle(datas: list[tuple[str, str]], target: Path,
                 leave_out: str = "") -> Path:
    for source, folder in datas:
        if leave_out and source.endswith(leave_out):
            continue
        (target / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / folder)
    return target


def _self_test_in(bundle: Path) -> subprocess.CompletedProcess[str]:
    script = (
        "import sys\n"
        f"sys._MEIPASS = {str(bundle)!r}\n"
        "from pathlib import Path\n"
        "from desktop.resources import resources_dir\n"
        f"assert resources_dir() == Path({str(bundle)!r}) / 'resources', resources_dir()\n"
        "from desktop.cli import main\n"
        "sys.exit(main(['--self-test', '--temp-home', '--no-crash-dialog']))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("TAGDESK_HOME", None)
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


@pytest.mark.integration
def test_the_self_test_passes_on_the_bundled_resources_alone(linux: Build,
                                                             tmp_path: Path) -> None:
    bundle = _fake_bundle(linux.analysis["datas"], tmp_path / "bundle")
    result = _self_test_in(bundle)
    assert result.returncode == 0, result.stderr
    assert " self-test passed in " in result.stdout
    assert "zh_CN translation loaded" in result.stdout


@pytest.mark.integration
def test_a_resource_missing_from_the_bundle_fails_the_self_test(linux: Build,
                                                                tmp_path: Path) -> None:
    bundle = _fake_bundle(linux.analysis["datas"], tmp_path / "bundle", leave_out="tagdesk.qss")
    result = _self_test_in(bundle)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "tagdesk: self-test failed: loading the style sheet and icons: FileNotFoundError:"
        " TagDesk resource missing: style/tagdesk.qss")


# -- modules, Qt trimming and platform branches ------------------------------------------------


def test_every_tagdesk_module_is_bundled(linux: Build) -> None:
    """The main window imports its tag widgets by name, which PyInstaller cannot see."""
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts) for p in CODE.rglob("*.py")}
    modules = {m.removesuffix(".__init__") for m in modules} - {"desktop.__main__"}
    hidden = set(linux.analysis["hiddenimports"])
    assert modules - hidden == set()
    assert {"desktop.ui.tag_tree_view", "desktop.selftest"} <= hidden


def test_only_unused_modules_are_excluded(linux: Build) -> None:
    excludes = set(linux.analysis["excludes"])
    assert {"PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtNetwork",
            "PySide6.Qt3DCore", "PySide6.QtMultimedia", "tkinter"} <= excludes
    imported: set[str] = set()
    for path in CODE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
                imported.update(f"{node.module}.{alias.name}" for alias in node.names)
    used_but_excluded = {name for name in imported
                         if any(name == x or name.startswith(x + ".") for x in excludes)}
    assert used_but_excluded == set()
    assert {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg"} <= imported


KEPT_QT = [
    "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so", "PySide6/plugins/platforms/qwindows.dll",
    "PySide6/Qt/plugins/platforms/libqcocoa.dylib", "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/plugins/imageformats/qico.dll", "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
    "PySide6/Qt/plugins/styles/libqmacstyle.dylib", "PySide6/plugins/styles/qmodernwindowsstyle.dll",
    "PySide6/Qt/lib/libQt6Core.so.6", "PySide6/Qt/lib/libQt6XcbQpa.so.6",
    "PySide6/Qt/lib/libQt6WaylandClient.so.6", "PySide6/Qt6Widgets.dll", "PySide6/Qt6Svg.dll",
    "PySide6/Qt/lib/QtWidgets.framework/Versions/A/QtWidgets", "PySide6/Qt/lib/libicudata.so.73",
    "PySide6/QtCore.abi3.so", "PySide6/Qt/translations/qtbase_zh_CN.qm",
    "PySide6\\translations\\qtbase_en.qm", "libQt6Core.so.6", "resources/icons/tag.svg",
]
DROPPED_QT = [
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "PySide6/plugins/platforminputcontexts/qtvirtualkeyboardplugin.dll",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so", "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so", "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6/Qt/plugins/imageformats/libqtiff.so", "PySide6/plugins/imageformats/qpdf.dll",
    "PySide6/Qt/plugins/generic/libqevdevmouseplugin.so", "PySide6/Qt/lib/libQt6Qml.so.6",
    "PySide6/Qt/lib/libQt6QuickControls2.so.6", "PySide6/Qt6Quick.dll", "PySide6/Qt6Network.dll",
    "PySide6/Qt/lib/QtQml.framework/Versions/A/QtQml", "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6",
    "PySide6/Qt/translations/qt_zh_CN.qm", "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6\\translations\\qtmultimedia_zh_CN.qm",
]


def test_qt_trimming_keeps_what_tagdesk_uses(linux: Build) -> None:
    unused = linux.namespace["unused_qt_file"]
    assert [name for name in KEPT_QT if unused(name)] == []
    assert [name for name in DROPPED_QT if not unused(name)] == []
    assert linux.namespace["KEPT_QT_TRANSLATIONS"] == {f"qtbase_{code}.qm" for code in LANGUAGES}


def test_unlinked_libraries_and_their_links_are_dropped(linux: Build) -> None:
    qt = Path(sys.modules["PySide6"].__file__ or "").parent
    lib = qt / "Qt" / "lib"
    binaries = [
        ("PySide6/QtCore.abi3.so", str(qt / "QtCore.abi3.so"), "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Core.so.6", str(lib / "libQt6Core.so.6"), "BINARY"),
        ("PySide6/Qt/lib/libicuuc.so.73", str(lib / "libicuuc.so.73"), "BINARY"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", str(lib / "libQt6Widgets.so.6"), "BINARY"),
    ]
    if not all(Path(source).exists() for _, source, _ in binaries):
        pytest.skip("the PySide6 wheel has another layout on this platform")
    kept = linux.namespace["linked_binaries"](binaries)
    assert [entry[0] for entry in kept] == [entry[0] for entry in binaries[:3]]
    datas = [("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
             ("libQt6Widgets.so.6", "PySide6/Qt/lib/libQt6Widgets.so.6", "SYMLINK"),
             ("resources/style/tagdesk.qss", "/src/tagdesk.qss", "DATA")]
    assert linux.namespace["without_dangling_symlinks"](datas, kept) == [datas[0], datas[2]]


def test_linux_builds_a_windowed_app_and_a_console_cli(linux: Build) -> None:
    assert linux.analysis["scripts"] == [str(CODE / "__main__.py")]
    assert [(e["name"], e["console"], e["upx"], e["strip"], e["icon"]) for e in linux.exes] == [
        ("TagDesk", False, False, True, None), ("tagdesk-cli", True, False, True, None)]
    assert linux.collect["name"] == "TagDesk" and linux.bundle is None


def _version_resource(path: Path) -> dict[str, Any]:
    """Evaluate the version file the way PyInstaller does, with recording stand-ins."""
    found: dict[str, Any] = {"strings": {}}

    def struct(name: str) -> Callable[..., Any]:
        def make(*args: Any, **kwargs: Any) -> Any:
            if name == "FixedFileInfo":
                found["fixed"] = kwargs
            if name == "StringStruct":
                found["strings"][args[0]] = args[1]
            if name == "VarStruct":
                found["translation"] = args[1]
            return (name, args, kwargs)
        return make

    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct")
    eval(path.read_text(encoding="utf-8"), {n: struct(n) for n in names})
    return found


def test_windows_gets_the_ico_and_version_info(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    build = run_spec("win32", monkeypatch, tmp_path, _stub_collect)
    assert [(e["name"], e["console"], e["strip"]) for e in build.exes] == [
        ("TagDesk", False, False), ("tagdesk-cli", True, False)]
    icon = Path(build.exes[0]["icon"])
    assert icon.name == "tagdesk.ico" and icon.read_bytes()[:4] == b"\x00\x00\x01\x00"
    version_file = Path(build.exes[0]["version"])
    assert version_file.parent == tmp_path
    resource = _version_resource(version_file)
    assert resource["fixed"]["filevers"] == resource["fixed"]["prodvers"]
    assert resource["fixed"]["filevers"] == build.namespace["version_numbers"](desktop.__version__)
    assert resource["strings"]["FileVersion"] == desktop.__version__
    assert resource["strings"]["ProductVersion"] == desktop.__version__
    assert resource["strings"]["OriginalFilename"] == "TagDesk.exe"
    assert resource["strings"]["FileDescription"] == "TagDesk 企微标签工作台"
    assert resource["translation"] == [0x0804, 1200]
    assert build.bundle is None


def test_macos_gets_a_bundle_with_icns_id_and_plist(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    build = run_spec("darwin", monkeypatch, tmp_path, _stub_collect)
    assert [(e["name"], e["console"]) for e in build.exes] == [("TagDesk", False)]
    assert build.bundle is not None
    bundle = build.bundle
    assert bundle["name"] == "TagDesk.app"
    assert bundle["bundle_identifier"] == desktop.APP_ID
    assert bundle["version"] == desktop.__version__
    icon = Path(bundle["icon"])
    assert icon.name == "tagdesk.icns" and icon.read_bytes()[:4] == b"icns"
    plist = bundle["info_plist"]
    assert plist["CFBundleShortVersionString"] == plist["CFBundleVersion"] == desktop.__version__
    assert plist["NSHighResolutionCapable"] is True
    assert plist["NSRequiresAquaSystemAppearance"] is False
    assert plist["LSMinimumSystemVersion"] == "11.0"


def test_version_numbers_for_windows(linux: Build) -> None:
    numbers = linux.namespace["version_numbers"]
    assert numbers("0.1.0") == (0, 1, 0, 0)
    assert numbers("2.3") == (2, 3, 0, 0)
    assert numbers("1.2.3.4.5") == (1, 2, 3, 4)


def test_the_debug_switch_gives_a_console_and_the_debug_bootloader(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    build = run_spec("linux", monkeypatch, tmp_path, _stub_collect, debug=True)
    assert {(e["console"], e["debug"]) for e in build.exes} == {(True, True)}
