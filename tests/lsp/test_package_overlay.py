"""PackageIndex.overlay (used by the server to re-index only the edited file of a
package) equals indexing all the files in order."""

from __future__ import annotations

from pathlib import Path

from gobex.facts import PackageIndex
from gobex.facts.imports import Imports
from gobex.facts.package import FileDecls
from gobex.models import builtin_models
from gobex.source import SourceFile

ROOT = Path(__file__).resolve().parents[2]


def test_overlay_equals_a_full_index_in_content_and_order() -> None:
    models = builtin_models()
    files = [
        FileDecls(source, Imports(source.root, models))
        for source in (
            SourceFile.parse(str(p), p.read_bytes())
            for p in sorted((ROOT / "rules").glob("*/testdata/*.go"))
        )
    ]
    assert len(files) > 3
    for first in (files[0], files[len(files) // 2], files[-1]):
        rest = [f for f in files if f is not first]
        full = PackageIndex([first, *rest])
        overlay = PackageIndex.overlay(first, PackageIndex(rest))
        assert overlay.files == full.files
        for table in ("types", "functions", "methods", "variables", "constants"):
            expected = getattr(full, table)
            found = getattr(overlay, table)
            assert list(found.items()) == list(expected.items()), table
        assert overlay.import_paths == full.import_paths
