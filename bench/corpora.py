"""The benchmark corpora: real Go sources installed by Debian packages.

Recipes, not copies: each corpus is a list of Debian packages (installed with apt
when missing, idempotently) and the Go files they put under /usr/share/gocode/src.

- **S**: github.com/gocql/gocql.
- **M**: gocql, Shopify/sarama, jackc/*, segmentio/kafka-go, lib/pq, jmoiron/sqlx.
- **L**: the packages of M plus golang.org/x/tools, honnef.co/go/tools, gRPC and the
  Prometheus client, together with every Go package they depend on in Debian:
  the files those packages install (`dpkg -L`). One dependency is left out:
  golang-github-aws-aws-sdk-go-dev (pulled in by prometheus-common) is 4.6 million
  lines of generated SDK code, more than the rest of L together; with it L would
  be four times the size the benchmark is meant for.

A file belongs to a corpus as `gobex check DIR` would find it: ``.go`` files not
under ``vendor/``, ``testdata/``, ``node_modules/`` or a directory whose name
starts with ``.`` or ``_``; symbolic links are left out (Debian links some
packages under a second import path). ``go.mod`` files are kept with the corpus
because they set the Go version the rules assume.

    python bench/corpora.py [S M L]      # install what is missing, list the counts
    python bench/corpora.py --files M    # the file list, one path a line
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GOCODE = Path("/usr/share/gocode/src")
SKIPPED_DIRS = frozenset({"vendor", "testdata", "node_modules"})
LEFT_OUT = frozenset({"golang-github-aws-aws-sdk-go-dev"})


@dataclass(frozen=True)
class Corpus:
    """A named corpus: the Debian packages that provide it and where its files are.

    With `roots`, the corpus is the Go files under those directories (relative to
    /usr/share/gocode/src); without, it is every Go file the packages and their
    Go dependencies install."""

    name: str
    description: str
    packages: tuple[str, ...]
    roots: tuple[str, ...] = ()


S_PACKAGES = ("golang-github-gocql-gocql-dev",)
M_PACKAGES = (
    *S_PACKAGES,
    "golang-github-shopify-sarama-dev",
    "golang-github-jackc-pgx-v4-dev",
    "golang-github-segmentio-kafka-go-dev",
    "golang-github-lib-pq-dev",
    "golang-github-jmoiron-sqlx-dev",
)
L_PACKAGES = (
    *M_PACKAGES,
    "golang-golang-x-tools-dev",
    "golang-honnef-go-tools-dev",
    "golang-google-grpc-dev",
    "golang-github-prometheus-client-golang-dev",
)

CORPORA = {
    "S": Corpus("S", "github.com/gocql/gocql", S_PACKAGES, ("github.com/gocql/gocql",)),
    "M": Corpus(
        "M",
        "gocql, Shopify/sarama, jackc/*, segmentio/kafka-go, lib/pq, jmoiron/sqlx",
        M_PACKAGES,
        (
            "github.com/gocql/gocql",
            "github.com/Shopify/sarama",
            "github.com/jackc",
            "github.com/segmentio/kafka-go",
            "github.com/lib/pq",
            "github.com/jmoiron/sqlx",
        ),
    ),
    "L": Corpus(
        "L",
        "M + x/tools, honnef.co/go/tools, grpc, prometheus client, and their Go "
        "dependencies (without aws-sdk-go)",
        L_PACKAGES,
    ),
}


# -- Debian ------------------------------------------------------------------------------
def installed(package: str) -> bool:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0 and result.stdout.strip().endswith(" installed")


def ensure_installed(packages: Iterable[str]) -> list[str]:
    """Install the packages that are missing (apt-get, with sudo when not root);
    returns the ones that were installed. Does nothing when all are present."""
    missing = [p for p in packages if not installed(p)]
    if not missing:
        return []
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = [*prefix, "apt-get", "install", "-y", "--no-install-recommends", *missing]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        subprocess.run([*prefix, "apt-get", "update"], env=env, capture_output=True, check=False)
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"apt-get install {' '.join(missing)} failed:\n{result.stderr}")
    return missing


def _depends(package: str) -> list[str]:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Depends}", package],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return []
    names = []
    for clause in result.stdout.split(","):
        first = clause.split("|")[0].strip().split(" ")[0].split(":")[0]
        if first.startswith("golang-") and first.endswith("-dev"):
            names.append(first)
    return names


def dependency_closure(packages: Sequence[str]) -> list[str]:
    """The packages and the Go (golang-*-dev) packages they depend on, recursively
    (first alternative of each dependency), minus `LEFT_OUT`."""
    seen: set[str] = set()
    pending = list(packages)
    while pending:
        package = pending.pop()
        if package in seen or package in LEFT_OUT:
            continue
        seen.add(package)
        pending.extend(_depends(package))
    return sorted(seen)


def _package_files(package: str) -> list[Path]:
    result = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=False)
    return [
        Path(line)
        for line in result.stdout.splitlines()
        if line.startswith(f"{GOCODE}/") and line.endswith((".go", "/go.mod"))
    ]


# -- files -------------------------------------------------------------------------------
def _kept(path: Path) -> bool:
    """True for a file `gobex check` finds when given a directory above it."""
    try:
        parts = path.relative_to(GOCODE).parts[:-1]
    except ValueError:
        parts = path.parts[:-1]
    return not any(p in SKIPPED_DIRS or p.startswith((".", "_")) for p in parts)


def _walk(root: Path) -> Iterable[Path]:
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith((".", "_")))
        for name in sorted(files):
            if name.endswith(".go") or name == "go.mod":
                yield Path(directory) / name


@cache
def corpus_files(name: str, *, with_go_mod: bool = False) -> tuple[Path, ...]:
    """The corpus's Go files (and, with `with_go_mod`, its go.mod files), sorted."""
    corpus = CORPORA[name]
    if corpus.roots:
        candidates: Iterable[Path] = (p for root in corpus.roots for p in _walk(GOCODE / root))
    else:
        candidates = (p for pkg in dependency_closure(corpus.packages) for p in _package_files(pkg))
    files = {
        p
        for p in candidates
        if _kept(p)
        and not p.is_symlink()
        and p.is_file()
        and (with_go_mod or p.suffix == ".go")
        and not any(parent.is_symlink() for parent in p.parents if parent != GOCODE)
    }
    return tuple(sorted(files))


def go_files(name: str) -> tuple[Path, ...]:
    return tuple(p for p in corpus_files(name) if p.suffix == ".go")


@dataclass(frozen=True)
class Counts:
    files: int
    lines: int
    bytes: int
    largest: Path | None
    largest_lines: int


def counts(files: Sequence[Path]) -> Counts:
    lines = size = 0
    largest: tuple[int, Path] | None = None
    for path in files:
        data = path.read_bytes()
        n = data.count(b"\n")
        lines += n
        size += len(data)
        if (largest is None or n > largest[0]) and not is_generated(data):
            largest = (n, path)
    return Counts(
        len(files), lines, size, largest[1] if largest else None, largest[0] if largest else 0
    )


def is_generated(data: bytes) -> bool:
    """A generated file: a comment before ``package`` says so (as gobex decides)."""
    for raw in data.splitlines():
        line = raw.strip()
        if line.startswith(b"package "):
            return False
        if line.startswith(b"//") and (
            b"DO NOT EDIT" in line or b"Code generated" in line or b"generated by" in line
        ):
            return True
    return False


def materialize(name: str, root: Path) -> Path:
    """A directory tree holding exactly the corpus's files (hard links when the file
    system allows, else copies), under `root`/`name`, so that every tool is given
    the same files by one directory argument. Rebuilt when the file list changed."""
    target = root / name
    files = corpus_files(name, with_go_mod=True)
    manifest = "\n".join(str(p) for p in files) + "\n"
    stamp = target / ".manifest"
    if stamp.is_file() and stamp.read_text() == manifest:
        return target
    if target.exists():
        shutil.rmtree(target)
    for path in files:
        destination = target / path.relative_to(GOCODE)
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, destination)
        except OSError:
            shutil.copy2(path, destination)
    stamp.write_text(manifest)
    return target


def prepare(name: str) -> tuple[Path, ...]:
    """Install the corpus's packages when missing; its Go files."""
    ensure_installed(CORPORA[name].packages)
    corpus_files.cache_clear()
    return go_files(name)


def main() -> int:
    parser = argparse.ArgumentParser(description="Install and describe the benchmark corpora.")
    parser.add_argument("corpora", nargs="*", metavar="CORPUS", help="S, M or L (default: all)")
    parser.add_argument("--files", action="store_true", help="print the file list instead")
    args = parser.parse_args()
    unknown = [name for name in args.corpora if name not in CORPORA]
    if unknown:
        parser.error(f"unknown corpus {', '.join(unknown)} (choose from {', '.join(CORPORA)})")
    for name in args.corpora or list(CORPORA):
        files = prepare(name)
        if args.files:
            sys.stdout.write("".join(f"{p}\n" for p in files))
            continue
        found = counts(files)
        largest = found.largest.relative_to(GOCODE) if found.largest else "-"
        print(
            f"{name}: {found.files:,} files, {found.lines:,} lines, {found.bytes / 1e6:.1f} MB "
            f"({CORPORA[name].description}); largest hand-written file: {largest} "
            f"({found.largest_lines:,} lines)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
