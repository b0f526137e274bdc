"""Packaging beyond what pyproject.toml can say: `resources/` ships inside the wheel.

The icons, the style sheet and the compiled translations live at the top of the checkout
(where the PyInstaller spec and the translators find them); in a wheel they become the
data-only package `desktop._resources`, which `desktop.resources` looks in first. Screenshots
and Qt Linguist sources stay out of the wheel.
"""

from setuptools import find_packages, setup

RESOURCES_PACKAGE = "desktop._resources"
RESOURCE_FILES = ["icons/*.svg", "style/*.qss", "translations/*.qm", "app/*", "autotag/*.json",
                  "scenes/*.json"]

setup(
    packages=[*find_packages(include=["desktop", "desktop.*"]), RESOURCES_PACKAGE],
    package_dir={RESOURCES_PACKAGE: "resources"},
    package_data={RESOURCES_PACKAGE: RESOURCE_FILES},
)
