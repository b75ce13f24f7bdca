"""gobex's benchmark: throughput against tree-sitter's parse floor and two peers,
scaling, editor latency and start-up, with PASS/FAIL against the budgets.

    python bench/run.py --corpus S|M|L [--runs 5] [--skip-peers] [--skip-editor]

Everything is measured side by side in one run (the machine is shared and noisy:
ratios of numbers taken minutes apart mean little). Each measurement is the
median of `--runs` runs after one warm-up run. Wall time is what the budgets
compare; CPU time (user + system, children included) and peak RSS (the largest
process of the run) come from ``wait4``.

1. Floor: py-tree-sitter parsing every file of the corpus in one process (files
   read first, not timed): the limit of a tree-sitter tool in Python on one core.
   Also the floor of the files gobex analyses: it skips generated files (55% of
   L's lines) and files over 2 MB, which the whole-corpus floor parses.
2. ``gobex check`` with every rule, ``--format jsonl`` to /dev/null, ``-j 1`` and
   ``-j`` every core: wall, CPU, peak RSS, lines per second, ratio to the floor.
3. Peers on the same files with five rules gobex also has (bench/peers/):
   ``ast-grep scan --threads 2`` and ``semgrep scan --metrics=off`` (local rules
   only), and gobex with only those five rules selected. The peers are installed
   from PyPI into bench/.venv when missing.
4. Scaling: parse + lint time per line by file size (bench/scaling.py), and the
   speed-up of ``-j 2`` over ``-j 1``.
5. Editor: bench/lsp_latency.py on the largest hand-written file of M and on
   bench/lsp_corpus/handler.go (p50/p95/p99 keystroke to diagnostics, debounce 0;
   spawn to first diagnostics), and the server's RSS with every file of S open
   (bench/lsp_memory.py).
6. Start-up: ``gobex --version`` and ``gobex check`` of one small file.

gobex's modules are byte-compiled before anything is timed, as ``pip install``
does (this machine sets PYTHONDONTWRITEBYTECODE, which would otherwise make
every start compile ~150 modules: about 100 ms).

A measurement whose warm-up takes over 30 s is timed once more instead of
`--runs` times, and one whose warm-up takes over two minutes is that run alone
(on L, so that the whole benchmark stays within 15 minutes); the table's notes
say which.

The corpus is given to every tool as one directory: a tree of hard links (or
copies) of the corpus's files under the cache directory (bench/corpora.py), so
that every tool sees exactly the same files.

The Markdown table is printed and written to bench/results/<date>-<corpus>.md
with the raw numbers in a JSON file beside it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpora  # noqa: E402 (a sibling script: importable once bench/ is on sys.path)

PEERS_VENV = HERE / ".venv"
RESULTS = HERE / "results"
SMALL_FILE = HERE / "lsp_corpus" / "handler.go"
SHARED_RULES = ("ERR001", "ERR002", "PG001", "API001", "CON003")
SLOW_WARM_UP = 30.0  # seconds: a measurement slower than this is timed once after its warm-up
ONCE_AFTER = 120.0  # seconds: ... and one slower than this is its warm-up alone
PEER_TIMEOUT = 1800.0
SCALING_FILES = 2000  # scaling: at most this many files (whole directories, evenly spread)

# -- budgets (issue 8) ----------------------------------------------------------------
CHECK_VS_FLOOR = 1.5  # gobex check, all rules, every core <= 1.5 x the floor
FIVE_VS_AST_GREP = 1.5  # five rules, every core <= 1.5 x ast-grep --threads 2
SEMGREP_FACTOR = 10.0  # >= 10 x faster than semgrep
P50_MS, P99_MS, FIRST_DIAGNOSTICS_S = 5.0, 20.0, 1.0
SMALL_CHECK_MS = 300.0
RSS_PER_WORKER_MB = 400.0


def gobex_python() -> str:
    """The interpreter gobex is installed in (the repository's .venv, else this one)."""
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def gobex_command() -> list[str]:
    script = Path(gobex_python()).with_name("gobex")
    return [str(script)] if script.exists() else [gobex_python(), "-m", "gobex"]


def ensure_peers() -> tuple[str, str]:
    """ast-grep and semgrep from PyPI in bench/.venv (installed when missing)."""
    bin_dir = PEERS_VENV / "bin"
    ast_grep, semgrep = bin_dir / "ast-grep", bin_dir / "semgrep"
    if not (ast_grep.exists() and semgrep.exists()):
        if not (bin_dir / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run(
            [str(bin_dir / "python"), "-m", "pip", "install", "-q", "ast-grep-cli", "semgrep"],
            check=True,
        )
    return str(ast_grep), str(semgrep)


def byte_compile() -> None:
    """Write gobex's .pyc files, as ``pip install`` does: an editable checkout run
    with PYTHONDONTWRITEBYTECODE (set on this machine) would otherwise compile
    every module at every start, which is not what users run."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    sources = [str(ROOT / "server" / "gobex"), str(ROOT / "rules")]
    subprocess.run(
        [gobex_python(), "-m", "compileall", "-q", *sources],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def tool_version(command: list[str]) -> str:
    try:
        found = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return (found.stdout or found.stderr).strip().splitlines()[0] if found.stdout else "?"


# -- measuring ----------------------------------------------------------------------------
@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds, children included
    rss_kib: int  # peak RSS of the largest process
    status: int


def run_once(
    command: Sequence[str],
    cwd: Path | None = None,
    stdout: Any = subprocess.DEVNULL,
    timeout: float | None = None,
) -> Sample:
    """Run `command`, measuring it with wait4 (its whole process tree)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command), cwd=cwd, stdout=stdout, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL
    )
    deadline = None if timeout is None else started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG if deadline else 0)
        if pid != 0:
            break
        if deadline is not None and time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            status = -1
            break
        time.sleep(0.05)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status) if status >= 0 else -9
    return Sample(
        wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss,
        os.waitstatus_to_exitcode(status) if status >= 0 else -9,
    )


@dataclass
class Series:
    """Repeated runs of one measurement."""

    name: str
    samples: list[Sample] = field(default_factory=list)
    warm_up: Sample | None = None
    note: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss_mb(self) -> float:
        return max(s.rss_kib for s in self.samples) / 1024

    @property
    def runs(self) -> int:
        return len(self.samples)


def series(
    name: str,
    measure: Callable[[], Sample],
    runs: int,
    log: Callable[[str], None],
    slow_after: float | None = None,
) -> Series:
    found = Series(name)
    found.warm_up = measure()
    count = runs
    if slow_after is not None and found.warm_up.wall > ONCE_AFTER:
        # Minutes long: nothing left to warm up, and the run must fit its budget.
        found.samples.append(found.warm_up)
        count = 0
        found.note = f"one run of {found.warm_up.wall:.0f} s (its warm-up), not repeated"
    elif slow_after is not None and found.warm_up.wall > slow_after:
        count = 1
        found.note = f"warm-up took {found.warm_up.wall:.0f} s: timed once"
    for _ in range(count):
        found.samples.append(measure())
    log(
        f"  {name}: median {found.wall:.3f} s wall, {found.cpu:.3f} s CPU, "
        f"peak {found.rss_mb:.0f} MB ({found.runs} runs)"
    )
    return found


FLOOR_SCRIPT = """
import json, sys, time, tree_sitter, tree_sitter_go
paths = open(sys.argv[1]).read().split("\\n")
datas = [open(p, "rb").read() for p in paths if p]
parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_go.language()))
wall, cpu = time.perf_counter(), time.process_time()
for data in datas:
    parser.parse(data)
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
"""


ANALYSED_SCRIPT = """
import sys
from pathlib import Path
from gobex.engine import Engine
engine = Engine()
kept, lines = [], 0
for name in Path(sys.argv[1]).read_text().split("\\n"):
    if name:
        data = Path(name).read_bytes()
        if engine.skip_reason_for(data) is None:
            kept.append(name)
            lines += data.count(b"\\n") + 1
Path(sys.argv[2]).write_text("".join(n + "\\n" for n in kept))
print(lines)
"""


def analysed_files(file_list: Path, out: Path) -> int:
    """Write the files of `file_list` that gobex analyses (it skips generated files
    and files over 2 MB) to `out`; their line count."""
    found = subprocess.run(
        [gobex_python(), "-c", ANALYSED_SCRIPT, str(file_list), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(found.stdout.strip())


def floor_sample(file_list: Path) -> Sample:
    """The parse loop alone (files already read), timed inside the process."""
    with tempfile.TemporaryFile("w+") as out:
        whole = run_once([gobex_python(), "-c", FLOOR_SCRIPT, str(file_list)], stdout=out)
        out.seek(0)
        timed = json.loads(out.read())
    return Sample(timed["wall"], timed["cpu"], whole.rss_kib, whole.status)


# -- machine ------------------------------------------------------------------------------
def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }


# -- the benchmark ------------------------------------------------------------------------
@dataclass
class Row:
    measurement: str
    value: str
    ratio: str = ""
    budget: str = ""
    status: str = ""  # PASS / FAIL / ""


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description="gobex benchmark (see the module docstring)")
    parser.add_argument("--corpus", choices=sorted(corpora.CORPORA), default="S")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (>= 1)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="-j for 'every core'")
    parser.add_argument("--edits", type=int, default=500, help="keystrokes per editor file")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-editor", action="store_true")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "gobex-bench",
        help="where the corpus trees are linked (default: %(default)s)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="results directory")
    args = parser.parse_args()
    runs = max(1, args.runs)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    load_before = load()
    log(f"corpus {args.corpus}: installing what is missing, linking the files")
    files = corpora.prepare(args.corpus)
    byte_compile()
    counted = corpora.counts(files)
    tree = corpora.materialize(args.corpus, args.cache)
    target = args.corpus  # the directory argument, relative to args.cache
    file_list = args.cache / f"{args.corpus}.files"
    file_list.write_text("".join(f"{tree / p.relative_to(corpora.GOCODE)}\n" for p in files))
    lines = counted.lines
    jobs = max(1, args.jobs)
    gobex = gobex_command()
    check = [*gobex, "check", "--format", "jsonl", "--no-progress", "--exit-zero"]
    results: dict[str, Series] = {}

    log("floor: tree-sitter parse of every file in one process")
    results["floor"] = series("floor", lambda: floor_sample(file_list), runs, log)
    analysed_list = args.cache / f"{args.corpus}.analysed"
    analysed_lines = analysed_files(file_list, analysed_list)
    results["floor_analysed"] = series(
        "floor, analysed files", lambda: floor_sample(analysed_list), runs, log
    )

    log("gobex check")

    def gobex_run(*extra: str) -> Callable[[], Sample]:
        return lambda: run_once([*check, *extra, target], cwd=args.cache)

    slow = SLOW_WARM_UP
    results["all_jN"] = series(f"gobex -j {jobs}", gobex_run("-j", str(jobs)), runs, log, slow)
    results["all_j1"] = series("gobex -j 1", gobex_run("-j", "1"), runs, log, slow)
    if jobs != 2:
        results["all_j2"] = series("gobex -j 2", gobex_run("-j", "2"), runs, log, slow)
    five = ("--select", ",".join(SHARED_RULES))
    results["five_jN"] = series(
        f"gobex five rules -j {jobs}", gobex_run(*five, "-j", str(jobs)), runs, log, slow
    )

    versions = {"gobex": tool_version([*gobex, "--version"])}
    if not args.skip_peers:
        log("peers")
        ast_grep, semgrep = ensure_peers()
        versions["ast-grep"] = tool_version([ast_grep, "--version"])
        # Without these, `semgrep --version` waits ~95 s on a network check here.
        os.environ["SEMGREP_ENABLE_VERSION_CHECK"] = "0"
        versions["semgrep"] = tool_version([semgrep, "--version", "--disable-version-check"])
        config = HERE / "peers" / "ast-grep" / "sgconfig.yml"
        results["ast_grep"] = series(
            "ast-grep --threads 2",
            lambda: run_once(
                [
                    ast_grep,
                    "scan",
                    "--threads",
                    "2",
                    "--config",
                    str(config),
                    "--json=stream",
                    target,
                ],
                cwd=args.cache,
                timeout=PEER_TIMEOUT,
            ),
            runs,
            log,
            SLOW_WARM_UP,
        )
        # semgrep skips test files and large files by default: the same files for all.
        (args.cache / ".semgrepignore").write_text("# bench/run.py: scan every file\n")
        results["semgrep"] = series(
            f"semgrep -j {jobs}",
            lambda: run_once(
                [
                    *(semgrep, "scan", "--metrics=off", "--disable-version-check", "--quiet"),
                    *("--config", str(HERE / "peers" / "semgrep"), "--json", "-j", str(jobs)),
                    *("--max-target-bytes", str(2 * 1024 * 1024), target),
                ],
                cwd=args.cache,
                timeout=PEER_TIMEOUT,
            ),
            runs,
            log,
            SLOW_WARM_UP,
        )

    log("scaling: time per line by file size")
    with tempfile.TemporaryFile("w+") as out:
        command = [gobex_python(), str(HERE / "scaling.py"), str(file_list)]
        run_once([*command, "--sample-files", str(SCALING_FILES)], stdout=out)
        out.seek(0)
        scaling = json.loads(out.read())

    editor: dict[str, Any] = {}
    if not args.skip_editor:
        log("editor: keystroke latency (bench/lsp_latency.py), memory (bench/lsp_memory.py)")
        largest = corpora.counts(corpora.prepare("M")).largest
        targets = [p for p in (largest, SMALL_FILE) if p is not None]
        with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
            command = [gobex_python(), str(HERE / "lsp_latency.py"), "--edits", str(args.edits)]
            subprocess.run(
                [*command, "--json", out.name, *map(str, targets)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            editor["latency"] = json.loads(Path(out.name).read_text())
        s_list = args.cache / "S.files"
        s_list.write_text("".join(f"{p}\n" for p in corpora.prepare("S")))
        with tempfile.TemporaryFile("w+") as out:
            run_once([gobex_python(), str(HERE / "lsp_memory.py"), str(s_list)], stdout=out)
            out.seek(0)
            editor["memory_S"] = json.loads(out.read())

    log("start-up")
    results["version"] = series(
        "gobex --version", lambda: run_once([*gobex, "--version"]), runs, log
    )
    results["small"] = series(
        f"gobex check {SMALL_FILE.name}",
        lambda: run_once([*gobex, "check", "--exit-zero", str(SMALL_FILE)]),
        runs,
        log,
    )

    rows = table(args.corpus, counted, results, scaling, editor, jobs, lines, analysed_lines)
    elapsed = time.perf_counter() - started
    info = machine()
    now = datetime.datetime.now().astimezone()
    header = (
        f"# gobex benchmark: corpus {args.corpus}, {now:%Y-%m-%d %H:%M %Z}\n\n"
        f"Corpus {args.corpus}: {counted.files:,} Go files, {lines:,} lines, "
        f"{counted.bytes / 1e6:.1f} MB ({corpora.CORPORA[args.corpus].description}).\n"
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory_gb']} GB, "
        f"Python {info['python']}, {info['system']}; shared with other users: load average "
        f"{load_before} before the run and {load()} after (1, 5, 15 minutes).\n"
        f"Tools: {', '.join(f'{k} {v}' for k, v in versions.items())}. "
        f"Medians of {runs} runs after a warm-up; the run took {elapsed / 60:.1f} minutes.\n"
    )
    markdown = header + "\n" + render(rows) + "\n" + scaling_table(scaling) + notes(results)
    print(markdown)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"{now:%Y-%m-%d-%H%M}-{args.corpus}"
    (args.out / f"{stem}.md").write_text(markdown)
    raw = {
        "corpus": args.corpus,
        "date": now.isoformat(),
        "machine": info,
        "load_before": load_before,
        "load_after": load(),
        "versions": versions,
        "counts": {"files": counted.files, "lines": lines, "bytes": counted.bytes},
        "series": {
            k: {
                "name": v.name,
                "note": v.note,
                "warm_up": asdict(v.warm_up) if v.warm_up else None,
                "samples": [asdict(s) for s in v.samples],
            }
            for k, v in results.items()
        },
        "scaling": scaling,
        "editor": editor,
        "rows": [asdict(r) for r in rows],
    }
    (args.out / f"{stem}.json").write_text(json.dumps(raw, indent=1) + "\n")
    log(f"written: {args.out / (stem + '.md')} and .json ({elapsed:.0f} s)")
    return 0


def table(
    corpus: str,
    counted: corpora.Counts,
    results: dict[str, Series],
    scaling: dict[str, Any],
    editor: dict[str, Any],
    jobs: int,
    lines: int,
    analysed_lines: int,
) -> list[Row]:
    floor = results["floor"]
    own = results["floor_analysed"]
    rows = [
        Row(
            "floor: tree-sitter parse, 1 process",
            f"{floor.wall:.2f} s ({lines / floor.wall / 1000:,.0f}k lines/s)",
            "1.00",
        ),
        Row(
            "floor of the files gobex analyses (not generated, <= 2 MB)",
            f"{own.wall:.2f} s ({analysed_lines:,} lines, "
            f"{analysed_lines / max(own.wall, 1e-9) / 1000:,.0f}k lines/s)",
            f"{own.wall / floor.wall:.2f}",
        ),
    ]
    on = "" if corpus == "L" else f" (budget set for L; here {corpus})"
    for key, label in (("all_jN", f"-j {jobs}"), ("all_j2", "-j 2"), ("all_j1", "-j 1")):
        found = results.get(key)
        if found is None:
            continue
        ratio = found.wall / floor.wall
        budget = status = ""
        if key == "all_jN":
            budget = f"<= {CHECK_VS_FLOOR} x floor{on}"
            status = verdict(ratio <= CHECK_VS_FLOOR)
        rows.append(
            Row(
                f"gobex check, all rules, {label}",
                f"{found.wall:.2f} s wall, {found.cpu:.2f} s CPU, {found.rss_mb:.0f} MB peak, "
                f"{lines / found.wall / 1000:,.0f}k lines/s",
                f"{ratio:.2f} (CPU {found.cpu / floor.cpu:.2f}; "
                f"CPU {found.cpu / own.cpu:.2f} x the analysed files' floor)",
                budget,
                status,
            )
        )
    j1 = results["all_j1"]
    worst = max(results[k].rss_mb for k in ("all_jN", "all_j1"))
    rows.append(
        Row(
            "peak RSS of one gobex process",
            f"{worst:.0f} MB",
            "",
            f"<= {RSS_PER_WORKER_MB:.0f} MB per worker{on}",
            verdict(worst <= RSS_PER_WORKER_MB),
        )
    )
    parallel = results.get("all_j2") or results["all_jN"]
    rows.append(
        Row(
            "speed-up of -j 2 over -j 1" if "all_j2" in results or jobs == 2 else "speed-up",
            f"{j1.wall / parallel.wall:.2f} x",
        )
    )
    five = results["five_jN"]
    rows.append(
        Row(
            f"gobex check, 5 shared rules, -j {jobs}",
            f"{five.wall:.2f} s wall, {five.cpu:.2f} s CPU",
            f"{five.wall / floor.wall:.2f}",
        )
    )
    if "ast_grep" in results:
        ast_grep, semgrep = results["ast_grep"], results["semgrep"]
        versus = five.wall / ast_grep.wall
        rows.append(
            Row(
                "ast-grep scan, 5 rules, --threads 2",
                f"{ast_grep.wall:.2f} s wall, {ast_grep.cpu:.2f} s CPU",
                f"{ast_grep.wall / floor.wall:.2f}",
                f"gobex (5 rules) <= {FIVE_VS_AST_GREP} x ast-grep: {versus:.2f} x",
                verdict(versus <= FIVE_VS_AST_GREP),
            )
        )
        timed_out = any(s.status == -9 for s in semgrep.samples)
        faster = semgrep.wall / five.wall
        rows.append(
            Row(
                f"semgrep scan, 5 rules, -j {jobs}",
                f"{'>= ' if timed_out else ''}{semgrep.wall:.2f} s wall, {semgrep.cpu:.2f} s CPU"
                + (f" ({semgrep.runs} run)" if semgrep.runs == 1 else ""),
                f"{semgrep.wall / floor.wall:.2f}",
                f"gobex (5 rules) >= {SEMGREP_FACTOR:.0f} x faster: {faster:.1f} x",
                verdict(faster >= SEMGREP_FACTOR),
            )
        )
    if editor:
        for entry in editor["latency"]:
            values = sorted(entry["latencies_ms"])
            p50, p95, p99 = (percentile(values, f) for f in (0.5, 0.95, 0.99))
            name = Path(entry["file"]).name
            big = name != SMALL_FILE.name
            rows.append(
                Row(
                    f"editor: keystroke to diagnostics, {name} ({entry['lines']:,} lines)",
                    f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms "
                    f"({len(values)} edits, {entry['cpu_ms_per_edit']:.1f} ms server CPU/edit)",
                    "",
                    f"p50 <= {P50_MS:.0f} ms, p99 <= {P99_MS:.0f} ms" if big else "",
                    verdict(p50 <= P50_MS and p99 <= P99_MS) if big else "",
                )
            )
            rows.append(
                Row(
                    f"editor: spawn to first diagnostics, {name}",
                    f"{entry['startup_ms']:.0f} ms",
                    "",
                    f"<= {FIRST_DIAGNOSTICS_S * 1000:.0f} ms",
                    verdict(entry["startup_ms"] <= FIRST_DIAGNOSTICS_S * 1000),
                )
            )
        memory = editor["memory_S"]
        rows.append(
            Row(
                f"editor: server RSS with all {memory['files']} files of S open",
                f"{memory['rss_kib'] / 1024:.0f} MB (peak {memory['peak_rss_kib'] / 1024:.0f} MB)",
            )
        )
    version, small = results["version"], results["small"]
    rows.append(Row("start-up: gobex --version", f"{version.wall * 1000:.0f} ms"))
    rows.append(
        Row(
            f"start-up: gobex check {SMALL_FILE.name}",
            f"{small.wall * 1000:.0f} ms",
            "",
            f"<= {SMALL_CHECK_MS:.0f} ms",
            verdict(small.wall * 1000 <= SMALL_CHECK_MS),
        )
    )
    return rows


def percentile(ordered: list[float], fraction: float) -> float:
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def render(rows: list[Row]) -> str:
    out = ["| Measurement | Result | Ratio to floor | Budget | Status |", "|---|---|---|---|---|"]
    out += [f"| {r.measurement} | {r.value} | {r.ratio} | {r.budget} | {r.status} |" for r in rows]
    return "\n".join(out) + "\n"


def scaling_table(scaling: dict[str, Any]) -> str:
    out = [
        f"\nScaling (one process, parse + lint per file, CPU time; {scaling['files']:,} files, "
        f"at most {SCALING_FILES:,} in whole directories):\n",
        "| File size (lines) | Files | Lines | µs per line |",
        "|---|---|---|---|",
    ]
    for bucket in scaling["buckets"]:
        per_line = bucket["us_per_line"]
        out.append(
            f"| {bucket['lines']} | {bucket['files']:,} | {bucket['total_lines']:,} | "
            f"{per_line:.1f} |"
            if per_line is not None
            else f"| {bucket['lines']} | 0 | 0 | - |"
        )
    return "\n".join(out) + "\n"


def notes(results: dict[str, Series]) -> str:
    found = [f"- {s.name}: {s.note}" for s in results.values() if s.note]
    return ("\nNotes:\n" + "\n".join(found) + "\n") if found else ""


if __name__ == "__main__":
    sys.exit(main())
