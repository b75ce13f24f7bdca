"""Configuration: `.gobex.toml` / `gobex.toml` (nearest ancestor), its keys, and its errors.

Rules here are test-only (a private Registry), so the tests do not depend on the
rule set being written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from gobex.cli.main import main
from gobex.config import Config, ConfigError, find_config, glob_match, load_config
from gobex.engine import Engine
from gobex.finding import Finding, Severity
from gobex.goversion import GoVersion
from gobex.registry import Registry
from gobex.rule import Group, Match, Rule, RuleContext
from gobex.rules.idiomatic.unused_nolint import RULE as UNUSED_NOLINT
from gobex.source import SourceFile

DOC = "A call to a test marker.\n\n## What it does\nReports calls to `{callee}`.\n"


def _check(ctx: RuleContext, match: Match) -> Iterator[Finding]:
    yield ctx.finding(match["call"], f"{ctx.text(match['fn'])} is called")


def _rule(code: str, name: str, callee: str, **options: object) -> Rule:
    rule = Rule(
        code=code,
        name=name,
        severity=Severity.WARNING,
        query=f'(call_expression function: (identifier) @fn (#eq? @fn "{callee}")) @call',
        doc=DOC.format(callee=callee),
        **options,  # type: ignore[arg-type]
    )
    rule.check(_check)
    return rule


ALPHA = _rule("TST901", "toy-alpha", "alpha")
BETA = _rule("TST902", "toy-beta", "beta")
GAMMA = _rule("OBS901", "toy-gamma", "gamma")
LEGACY = _rule("TST903", "toy-legacy", "legacy", max_go=22)
PREVIEW = _rule("OBS902", "toy-preview", "preview", group=Group.PREVIEW)
REGISTRY = Registry([ALPHA, BETA, GAMMA, LEGACY, PREVIEW, UNUSED_NOLINT])
SOURCE = "package toy\n\nfunc f() {\n\talpha()\n\tbeta()\n\tgamma()\n\tpreview()\n}\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, text: str) -> tuple[Config, list[ConfigError]]:
    return load_config(write(tmp_path / ".gobex.toml", text))


def engine_for(tmp_path: Path, text: str) -> Engine:
    config, errors = load(tmp_path, text)
    assert errors == [], [str(e) for e in errors]
    engine = Engine(config, registry=REGISTRY)
    assert engine.config_errors == (), [str(e) for e in engine.config_errors]
    return engine


def findings(engine: Engine, path: Path, text: str = SOURCE) -> list[Finding]:
    source = SourceFile.parse(str(path), text.encode())
    return list(engine.lint(source, path=path).findings)


def codes(engine: Engine, path: Path, text: str = SOURCE) -> set[str]:
    return {f.code for f in findings(engine, path, text)}


@pytest.fixture(autouse=True)
def _in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[tuple[str, str]], str]:
    """Run `gobex check --format jsonl ARGV`: exit code, (path, code) pairs, stderr."""
    code = main(["check", "--format", "jsonl", *argv], registry=REGISTRY)
    captured = capsys.readouterr()
    pairs = [(r["path"], r["code"]) for r in map(json.loads, captured.out.splitlines())]
    return code, pairs, captured.err


# -- finding the file ------------------------------------------------------------------


def test_the_nearest_ancestor_config_is_found(tmp_path) -> None:
    far = write(tmp_path / ".gobex.toml", "")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config(deep) == far.resolve()
    near = write(tmp_path / "a" / "gobex.toml", "")
    assert find_config(deep) == near.resolve()
    assert find_config(write(deep / "x.go", "package c\n")) == near.resolve()  # from a file
    assert find_config(deep / "not" / "yet" / "y.go") == near.resolve()  # an unsaved file


def test_dot_gobex_toml_wins_over_gobex_toml_in_the_same_directory(tmp_path) -> None:
    write(tmp_path / "gobex.toml", "")
    hidden = write(tmp_path / ".gobex.toml", "")
    assert find_config(tmp_path) == hidden.resolve()


def test_no_config_anywhere(tmp_path) -> None:
    assert find_config(tmp_path) is None


def test_the_cli_uses_the_config_nearest_to_the_checked_path(tmp_path, capsys) -> None:
    write(tmp_path / ".gobex.toml", 'select = ["TST902"]\n')
    write(tmp_path / "svc" / "gobex.toml", 'select = ["TST901"]\n')
    write(tmp_path / "svc" / "pkg" / "f.go", SOURCE)
    write(tmp_path / "other" / "g.go", SOURCE)
    assert cli(capsys, "svc")[1] == [("svc/pkg/f.go", "TST901")]
    assert cli(capsys, "other")[1] == [("other/g.go", "TST902")]


# -- keys ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {"TST901", "TST902", "OBS901"}),
        ('select = ["TST901"]', {"TST901"}),
        ('select = ["toy-beta"]', {"TST902"}),
        ('select = ["OBS"]', {"OBS901"}),
        ('select = "TST901, toy-gamma"', {"TST901", "OBS901"}),
        ('select = ["ALL"]\nignore = ["TST"]', {"OBS901"}),
        ('ignore = ["TST902", "toy-gamma"]', {"TST901"}),
        ('extend-select = ["OBS902"]', {"TST901", "TST902", "OBS901", "OBS902"}),
        ("preview = true", {"TST901", "TST902", "OBS901", "OBS902"}),
        ('select = ["OBS"]\npreview = true', {"OBS901", "OBS902"}),
        ('select = ["OBS902"]', {"OBS902"}),
    ],
)
def test_select_ignore_extend_select_and_preview(tmp_path, text, expected) -> None:
    engine = engine_for(tmp_path, text)
    assert codes(engine, tmp_path / "f.go") == expected


def test_severity_overrides_by_code_name_and_prefix(tmp_path) -> None:
    engine = engine_for(
        tmp_path,
        '[severity]\nTST = "info"\ntoy-beta = "error"\nOBS901 = "ERROR"\n',
    )
    by_code = {f.code: f.severity for f in findings(engine, tmp_path / "f.go")}
    assert by_code == {
        "TST901": Severity.INFO,  # the prefix
        "TST902": Severity.ERROR,  # the name beats the prefix
        "OBS901": Severity.ERROR,  # case-insensitive level
    }


def test_exclude_globs(tmp_path, capsys) -> None:
    write(tmp_path / ".gobex.toml", 'exclude = ["gen/**", "*_mock.go", "internal/old/"]\n')
    for rel in (
        "a.go",
        "a_mock.go",
        "gen/x.go",
        "pkg/gen/y.go",
        "pkg/b_mock.go",
        "internal/old/z.go",
        "internal/new/w.go",
    ):
        write(tmp_path / rel, "package toy\n\nfunc f() {\n\talpha()\n}\n")
    _, pairs, _ = cli(capsys, ".")
    assert sorted(path for path, _ in pairs) == ["a.go", "internal/new/w.go", "pkg/gen/y.go"]
    # Globs are relative to the config file, wherever gobex runs from.
    (tmp_path / "internal").mkdir(exist_ok=True)
    _, pairs, _ = cli(capsys, str(tmp_path / "internal"))
    assert [Path(path).name for path, _ in pairs] == ["w.go"]


def test_per_file_ignores(tmp_path) -> None:
    engine = engine_for(
        tmp_path,
        '[per-file-ignores]\n"*_test.go" = ["TST901"]\n"legacy/**" = ["TST", "toy-gamma"]\n',
    )
    assert codes(engine, tmp_path / "svc" / "f.go") == {"TST901", "TST902", "OBS901"}
    assert codes(engine, tmp_path / "svc" / "f_test.go") == {"TST902", "OBS901"}
    assert codes(engine, tmp_path / "legacy" / "deep" / "f.go") == set()


def test_per_file_ignores_through_the_cli(tmp_path, capsys) -> None:
    write(tmp_path / "gobex.toml", '[per-file-ignores]\n"*_test.go" = "TST901,TST902"\n')
    write(tmp_path / "f.go", SOURCE)
    write(tmp_path / "f_test.go", SOURCE)
    _, pairs, _ = cli(capsys, ".")
    assert sorted(pairs) == [
        ("f.go", "OBS901"),
        ("f.go", "TST901"),
        ("f.go", "TST902"),
        ("f_test.go", "OBS901"),
    ]


def test_go_version(tmp_path, capsys) -> None:
    legacy = "package toy\n\nfunc f() {\n\tlegacy()\n}\n"
    assert codes(engine_for(tmp_path, ""), tmp_path / "f.go", legacy) == set()
    config, errors = load(tmp_path, 'go-version = "1.21"\n')
    assert errors == []
    assert config.go_version == GoVersion(1, 21)
    write(tmp_path / "go.mod", "module example.com/toy\n\ngo 1.23\n")
    write(tmp_path / "f.go", legacy)
    write(tmp_path / "g.go", "//go:build go1.22\n\n" + legacy)  # the file's own version wins
    _, pairs, _ = cli(capsys, ".")
    assert pairs == [("f.go", "TST903")]  # the config beats go.mod


def test_max_file_size(tmp_path, capsys) -> None:
    write(tmp_path / ".gobex.toml", "max-file-size = 40\n")
    write(tmp_path / "big.go", SOURCE)
    write(tmp_path / "small.go", "package toy\n\nfunc f() { alpha() }\n")
    code, pairs, err = cli(capsys, ".")
    assert pairs == [("small.go", "TST901")]
    assert "big.go: not analysed: file is" in err
    assert code == 1


# -- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("colour = true", "colour"),
        ("select = 3", "select"),
        ('ignore = ["TST901", 2]', "ignore"),
        ("exclude = { a = 1 }", "exclude"),
        ('preview = "yes"', "preview"),
        ('severity = "error"', "severity"),
        ('severity = { TST901 = "fatal" }', "severity.TST901"),
        ('per-file-ignores = ["x"]', "per-file-ignores"),
        ('per-file-ignores = { "*.go" = 1 }', "per-file-ignores.*.go"),
        ("go-version = 1.20", "go-version"),
        ('go-version = "twenty"', "go-version"),
        ("max-file-size = -1", "max-file-size"),
        ('lsp = "on"', "lsp"),
        ("lsp = { nonsense = 1 }", "lsp.nonsense"),
    ],
)
def test_a_bad_key_is_one_error_naming_file_and_key_and_the_rest_applies(
    tmp_path, line, key
) -> None:
    good = 'select = ["TST901", "TST902"]\nignore = ["TST902"]\n'
    if line.startswith(("select", "ignore")):
        good = 'extend-select = ["OBS902"]\n'
    config, errors = load(tmp_path, good + line + "\n")
    assert len(errors) == 1, [str(e) for e in errors]
    (error,) = errors
    assert error.key == key
    message = str(error)
    assert message.startswith(f"{tmp_path / '.gobex.toml'}: `{key}`: ")
    engine = Engine(config, registry=REGISTRY)
    assert engine.config_errors == ()
    found = codes(engine, tmp_path / "f.go")
    if line.startswith(("select", "ignore")):
        # The bad key keeps its default; extend-select still applies.
        assert found == {"TST901", "TST902", "OBS901", "OBS902"}
    else:
        assert found == {"TST901"}


def test_defaults_are_kept_for_a_bad_key(tmp_path) -> None:
    config, errors = load(
        tmp_path,
        'preview = "yes"\ngo-version = 1.20\nmax-file-size = "big"\nexclude = 5\n',
    )
    assert {e.key for e in errors} == {"preview", "go-version", "max-file-size", "exclude"}
    assert all(str(e).endswith("(using the default)") for e in errors)
    defaults = Config()
    assert config.preview is defaults.preview
    assert config.go_version is None
    assert config.max_file_size == defaults.max_file_size
    assert config.exclude == defaults.exclude


def test_a_float_go_version_is_refused_rather_than_misread(tmp_path) -> None:
    # TOML reads 1.20 as 1.2; reading it as Go 1.2 would silently mis-gate rules.
    config, errors = load(tmp_path, "go-version = 1.20\n")
    assert config.go_version is None
    assert [e.key for e in errors] == ["go-version"]
    assert '"1.22"' in errors[0].message


def test_one_bad_severity_entry_keeps_the_others(tmp_path) -> None:
    config, errors = load(tmp_path, '[severity]\nTST901 = "loud"\nTST902 = "info"\n')
    assert [e.key for e in errors] == ["severity.TST901"]
    engine = Engine(config, registry=REGISTRY)
    by_code = {f.code: f.severity for f in findings(engine, tmp_path / "f.go")}
    assert by_code["TST901"] == Severity.WARNING  # the rule's own severity
    assert by_code["TST902"] == Severity.INFO


@pytest.mark.parametrize(
    ("text", "key", "selector"),
    [
        ('select = ["TST901", "TST999"]', "select", "TST999"),
        ('ignore = ["nope"]', "ignore", "nope"),
        ('extend-select = ["XX"]', "extend-select", "XX"),
        ('[severity]\nTST999 = "info"', "severity.TST999", "TST999"),
        ('[per-file-ignores]\n"*.go" = ["TST999"]', "per-file-ignores.*.go", "TST999"),
    ],
)
def test_an_unknown_rule_is_one_error_and_the_rest_applies(tmp_path, text, key, selector) -> None:
    config, errors = load(tmp_path, text + "\n")
    assert errors == []  # valid TOML and types: rules are resolved against the registry
    engine = Engine(config, registry=REGISTRY)
    assert [str(e) for e in engine.config_errors] == [
        f"{tmp_path / '.gobex.toml'}: `{key}`: unknown rule or prefix {selector!r} (ignored)"
    ]
    expected = {"TST901"} if key == "select" else {"TST901", "TST902", "OBS901"}
    assert codes(engine, tmp_path / "f.go") == expected


def test_invalid_toml_is_one_error_and_defaults(tmp_path) -> None:
    config, errors = load(tmp_path, 'select = ["TST901"\nignore = \n')
    assert len(errors) == 1
    assert errors[0].key == "(file)"
    assert "invalid TOML" in str(errors[0])
    assert str(tmp_path / ".gobex.toml") in str(errors[0])
    path = tmp_path / ".gobex.toml"
    assert config == Config(root=tmp_path, path=path)
    assert codes(Engine(config, registry=REGISTRY), tmp_path / "f.go") == {
        "TST901",
        "TST902",
        "OBS901",
    }


def test_config_that_is_not_utf8_is_one_error(tmp_path) -> None:
    (tmp_path / ".gobex.toml").write_bytes(b'select = ["\xff"]\n')
    config, errors = load_config(tmp_path / ".gobex.toml")
    assert [e.key for e in errors] == ["(file)"]
    assert config.select is None


def test_the_cli_reports_config_errors_and_keeps_going(tmp_path, capsys) -> None:
    write(tmp_path / ".gobex.toml", 'ignore = ["TST902", "TST999"]\ncolour = "always"\n')
    write(tmp_path / "f.go", SOURCE)
    code, pairs, err = cli(capsys, "f.go")
    assert code == 1  # findings; a config problem is not an internal error
    assert sorted(c for _, c in pairs) == ["OBS901", "TST901"]
    lines = err.splitlines()
    config_path = tmp_path / ".gobex.toml"
    assert f"gobex: warning: {config_path}: `colour`: unknown key (ignored)" in lines
    assert (
        f"gobex: warning: {config_path}: `ignore`: unknown rule or prefix 'TST999' (ignored)"
        in lines
    )
    assert len(lines) == 2


def test_the_cli_runs_with_defaults_on_invalid_toml(tmp_path, capsys) -> None:
    write(tmp_path / ".gobex.toml", "select = [\n")
    write(tmp_path / "f.go", SOURCE)
    code, pairs, err = cli(capsys, "f.go")
    assert code == 1
    assert sorted(c for _, c in pairs) == ["OBS901", "TST901", "TST902"]
    assert "invalid TOML" in err and "(using the defaults)" in err


@pytest.mark.parametrize(
    ("path", "pattern", "matches"),
    [
        ("api/x.go", "api/*.go", True),
        ("api/v1/y.go", "api/*.go", False),  # `*` stays within one directory
        ("api/v1/y.go", "api/**/*.go", True),
        ("api/x.go", "api/**/*.go", True),  # `**/` may match no directory at all
        ("vendor/m/x.go", "**/vendor/**", True),
        ("a/vendor/x.go", "**/vendor/**", True),
        ("pkg/a_mock.go", "*_mock.go", True),  # no `/`: a name at any depth
        ("gen/x.go", "gen", True),
        ("pkg/gen/y.go", "gen/**", False),  # with `/`: anchored at the config root
        ("internal/old/z.go", "internal/old/", True),
        ("internal/older/z.go", "internal/old/", False),
        ("src/gen", "gen/", False),  # a trailing `/` names directories only
        ("p/a.go", "./p/*.go", True),
        ("p/b.go", "p/[ab].go", True),
        ("p/c.go", "p/[!ab].go", True),
        ("p/a.go", "p/[!ab].go", False),
        ("p/q.go", "p/?.go", True),
        ("p/qq.go", "p/?.go", False),
    ],
)
def test_glob_semantics(path: str, pattern: str, matches: bool) -> None:
    assert glob_match(path, pattern) is matches
