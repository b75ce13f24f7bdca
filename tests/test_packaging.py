"""Packaging: `rules/` is the subpackage `gobex.rules` in an editable install (the
test venv) and in a built wheel (`pip install .`), with its models and without
its test fixtures."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import gobex
import gobex.rules
from gobex.registry import default_registry

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "setup.py", "README.md", "server", "rules")


def test_editable_install_maps_rules_to_gobex_rules() -> None:
    if Path(gobex.__file__).resolve().parent != ROOT / "server" / "gobex":
        pytest.skip(
            "gobex is not installed in editable mode from this checkout "
            "(scripts/test.sh runs `pip install -e .[test]`)"
        )
    assert Path(gobex.rules.__file__).resolve().parent == ROOT / "rules"
    areas = {rule.area for rule in default_registry().rules}
    assert "postgres" in areas


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the sources (the checkout stays untouched)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(path, source / name)
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (built,) = out.glob("gobex-*.whl")
    return built


def test_wheel_ships_rules_and_models_but_not_fixtures(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "gobex/__init__.py" in names
    assert "gobex/rules/__init__.py" in names
    assert "gobex/py.typed" in names
    for model in (ROOT / "rules" / "models").glob("*.toml"):
        assert f"gobex/rules/models/{model.name}" in names
    for module in (ROOT / "rules").glob("*/*.py"):
        assert f"gobex/rules/{module.parent.name}/{module.name}" in names
    assert not [n for n in names if "/testdata/" in n]
    assert not [n for n in names if n.startswith(("server/", "rules/", "tests/"))]
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "gobex = gobex.cli.main:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_wheel_finds_the_same_rules(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "import json, gobex.rules\n"
        "from gobex.registry import default_registry\n"
        "print(json.dumps([gobex.rules.__file__, [r.code for r in default_registry().rules]]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    location, codes = json.loads(result.stdout)
    assert Path(location).is_relative_to(site), location
    assert codes == [rule.code for rule in default_registry().rules]
