"""Time per file against file size, in one process (gobex's own interpreter).

Each directory of the given files is linted as ``gobex check`` lints it (every
file parsed, one package index per package, every file linted); the time of each
file's parse and lint is attributed to it and files are bucketed by line count.
Cost per line that stays flat across buckets means cost grows linearly with size.

    .venv/bin/python bench/scaling.py FILE_LIST_PATH [--sample-files N]   # prints JSON

With ``--sample-files N`` and more files than that, whole directories evenly
spread over the list are measured, about N files in all (the L corpus would
take minutes).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from gobex.engine import Engine
from gobex.facts import PackageIndex
from gobex.source import SourceFile
from gobex.workspace import group_by_directory, module_version, package_name

BUCKETS = ((0, 100), (100, 300), (300, 1000), (1000, 3000), (3000, 10**9))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("file_list", type=Path)
    parser.add_argument("--sample-files", type=int, default=0)
    args = parser.parse_args()
    files = [Path(line) for line in args.file_list.read_text().splitlines() if line]
    groups = list(group_by_directory(files))
    if args.sample_files > 0 and len(files) > args.sample_files:
        step = math.ceil(len(files) / args.sample_files)
        groups = groups[::step]
    engine = Engine()
    per_file: list[tuple[int, float]] = []  # (lines, seconds)
    for group in groups:
        version = module_version(group[0].parent, engine.config)
        contents = [(path, path.read_bytes()) for path in group]
        if all(engine.skip_reason_for(data) for _, data in contents):
            continue  # not parsed by gobex check either
        sources: list[tuple[SourceFile, float]] = []
        for path, data in contents:
            started = time.process_time()
            source = SourceFile.parse(str(path), data, version)
            sources.append((source, time.process_time() - started))
        by_package: dict[str, list[SourceFile]] = {}
        for source, _ in sources:
            by_package.setdefault(package_name(source), []).append(source)
        indexes = {n: PackageIndex.of(g, engine.models) for n, g in by_package.items()}
        for source, parse_time in sources:
            if engine.skip_reason(source) is not None:
                continue
            started = time.process_time()
            engine.lint(source, indexes[package_name(source)], Path(source.path))
            lint_time = time.process_time() - started
            per_file.append((source.data.count(b"\n") + 1, parse_time + lint_time))
    buckets = []
    for low, high in BUCKETS:
        inside = [(n, t) for n, t in per_file if low <= n < high]
        lines = sum(n for n, _ in inside)
        seconds = sum(t for _, t in inside)
        buckets.append(
            {
                "lines": f"{low}-{high - 1}" if high < 10**9 else f"{low}+",
                "files": len(inside),
                "total_lines": lines,
                "seconds": seconds,
                "us_per_line": seconds / lines * 1e6 if lines else None,
            }
        )
    json.dump({"files": len(per_file), "buckets": buckets}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
