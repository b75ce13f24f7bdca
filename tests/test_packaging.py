"""Packaging: `rules/` is the subpackage `gobex.rules` in an editable install (the
test venv, and a fresh one), in a built wheel, and after a regular `pip install .`
into a fresh virtualenv, with its models and without its test fixtures.

The fresh virtualenvs install gobex's dependencies from PyPI (as a user's would);
every build works on a copy of the sources, so the checkout stays untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
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


def copy_sources(target: Path) -> Path:
    """What a build needs from the checkout, copied to `target`."""
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(path, target / name)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the sources (the checkout stays untouched)."""
    source = copy_sources(tmp_path_factory.mktemp("source"))
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


# -- fresh virtualenvs ------------------------------------------------------------------

PROBE_RULE = '''"""A probe rule added after installation.

## What it does
Nothing.
"""

from gobex.finding import Severity
from gobex.rule import Rule

RULE = Rule(code="IDM999", name="editable-probe", severity=Severity.INFO, query="", doc=__doc__)
'''


def _clean_env() -> dict[str, str]:
    """The environment without anything pointing at the test venv or the checkout."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PIP_REQUIRE_VIRTUALENV")
    }
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PYTHONDONTWRITEBYTECODE="1")
    return env


def _run(argv: list[str | Path], cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def _fresh_venv(directory: Path, *install: str | Path) -> Path:
    """A new virtualenv (no system site-packages) with `pip install INSTALL...` done;
    returns its bin directory."""
    venv.EnvBuilder(with_pip=True, system_site_packages=False, clear=True).create(directory)
    bin_dir = directory / "bin"
    result = _run([bin_dir / "python", "-m", "pip", "install", *install], directory, timeout=900)
    assert result.returncode == 0, f"pip install {install} failed:\n{result.stdout}{result.stderr}"
    return bin_dir


def _locations(bin_dir: Path, cwd: Path) -> dict[str, str]:
    script = (
        "import json, gobex, gobex.rules, importlib.resources as r\n"
        "models = sorted(p.name for p in r.files('gobex.rules').joinpath('models').iterdir()"
        " if p.name.endswith('.toml'))\n"
        "print(json.dumps({'gobex': gobex.__file__, 'rules': gobex.rules.__file__,"
        " 'models': models}))\n"
    )
    result = _run([bin_dir / "python", "-c", script], cwd)
    assert result.returncode == 0, result.stderr
    found: dict[str, str] = json.loads(result.stdout)
    return found


def _check_pg001_fixture(bin_dir: Path, cwd: Path) -> None:
    """`gobex check` on PG001's fixture reports exactly its `// want` lines: the rules,
    the facts layer and the API models all load from the installation."""
    fixture = ROOT / "rules" / "postgres" / "testdata" / "PG001.go"
    (cwd / "repo.go").write_bytes(fixture.read_bytes())
    argv = [bin_dir / "gobex", "check", "--select", "PG001", "--format", "jsonl", "repo.go"]
    result = _run(argv, cwd)
    assert result.returncode == 1, result.stderr
    lines = [json.loads(line)["line"] for line in result.stdout.splitlines()]
    want = [
        number
        for number, text in enumerate(fixture.read_text().splitlines(), start=1)
        if "// want" in text
    ]
    assert lines == want


def _listed_codes(bin_dir: Path, cwd: Path) -> list[str]:
    result = _run([bin_dir / "gobex", "rules", "--format", "json"], cwd)
    assert result.returncode == 0, result.stderr
    return [record["code"] for record in json.loads(result.stdout)]


MODELS = sorted(p.name for p in (ROOT / "rules" / "models").glob("*.toml"))


def test_pip_install_into_a_fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> None:
    source = copy_sources(tmp_path_factory.mktemp("regular-source"))
    bin_dir = _fresh_venv(tmp_path_factory.mktemp("regular-venv"), source)
    elsewhere = tmp_path_factory.mktemp("regular-cwd")
    found = _locations(bin_dir, elsewhere)
    site = bin_dir.parent / "lib"
    assert Path(found["gobex"]).is_relative_to(site), found
    assert Path(found["rules"]).is_relative_to(site), found
    assert Path(found["rules"]).parent == Path(found["gobex"]).parent / "rules"
    assert found["models"] == MODELS
    assert _listed_codes(bin_dir, elsewhere) == [r.code for r in default_registry().rules]
    _check_pg001_fixture(bin_dir, elsewhere)
    version = _run([bin_dir / "python", "-m", "gobex", "--version"], elsewhere)
    assert version.stdout == f"gobex {gobex.__version__}\n"
    # The sources can go away: nothing in the installation points back to them.
    shutil.rmtree(source)
    assert _listed_codes(bin_dir, elsewhere) == [r.code for r in default_registry().rules]


def test_editable_install_into_a_fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> None:
    source = copy_sources(tmp_path_factory.mktemp("editable-source"))
    bin_dir = _fresh_venv(tmp_path_factory.mktemp("editable-venv"), "-e", source)
    elsewhere = tmp_path_factory.mktemp("editable-cwd")
    found = _locations(bin_dir, elsewhere)
    assert Path(found["gobex"]).resolve() == (source / "server" / "gobex" / "__init__.py").resolve()
    assert Path(found["rules"]).resolve() == (source / "rules" / "__init__.py").resolve()
    assert found["models"] == MODELS
    _check_pg001_fixture(bin_dir, elsewhere)
    # Editable: a rule module added to the sources is discovered without reinstalling.
    assert "IDM999" not in _listed_codes(bin_dir, elsewhere)
    (source / "rules" / "idiomatic" / "zz_probe.py").write_text(PROBE_RULE)
    assert "IDM999" in _listed_codes(bin_dir, elsewhere)
    explained = _run([bin_dir / "gobex", "explain", "editable-probe"], elsewhere)
    assert explained.stdout.startswith("# IDM999 editable-probe\n"), explained.stderr
