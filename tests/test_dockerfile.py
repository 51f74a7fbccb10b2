"""The container image carries every package the project installs: a package
added to pyproject.toml but not copied into the image fails at import time
only inside the container, where no other test runs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_image_copies_every_installed_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = set(re.findall(r"^COPY (\w+) \1$", (ROOT / "Dockerfile").read_text(), re.MULTILINE))
    assert packages - copied == set()
    # Each one is a real package of the project, not a stale name.
    assert all((ROOT / p / "__init__.py").exists() for p in packages)
