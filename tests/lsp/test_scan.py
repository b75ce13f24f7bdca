"""The workspace scan: every Go file's findings with $/progress, excludes, open
buffers winning over the disk, cancellation, re-scan on demand, disk changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.conftest import (
    CLIENTS,
    CONFIG,
    GO_MOD,
    PUSH_CLIENTS,
    REPO_GO,
    REPO_GO_FIXED,
    Session,
    clients,
    write_workspace,
)
from tests.lsp.helpers import wait_for

PULL_CLIENTS = [c for c in CLIENTS if c.pulls]
OTHER_GO = REPO_GO.replace("package repo", "package sub")
CLEAN_GO = "package repo\n\nfunc ok() {}\n"


@pytest.fixture
def workspace(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    directories = getattr(request, "param", None)
    if directories is not None:  # many one-file directories: a scan long enough to cancel
        files = {f"d{i:03}/f.go": OTHER_GO for i in range(directories)}
        return write_workspace(tmp_path / "ws", {"go.mod": GO_MOD, ".gobex.toml": CONFIG, **files})
    return write_workspace(
        tmp_path / "ws",
        {
            "go.mod": GO_MOD,
            ".gobex.toml": CONFIG,
            "repo.go": REPO_GO,
            "clean.go": CLEAN_GO,
            "sub/other.go": OTHER_GO,
            "vendor/example.com/v/v.go": OTHER_GO,  # vendor/ is never scanned
            "testdata/t.go": OTHER_GO,  # nor testdata/
            ".hidden/h.go": OTHER_GO,  # nor hidden directories
        },
    )


def scan_reports(
    session: Session,
) -> list[types.WorkDoneProgressBegin | types.WorkDoneProgressReport | types.WorkDoneProgressEnd]:
    (token,) = [t for t in session.client.progress_reports if str(t).startswith("gobex-scan")]
    return session.client.progress_reports[token]


async def scan_done(session: Session) -> list[object]:
    def ended() -> bool:
        tokens = [t for t in session.client.progress_reports if str(t).startswith("gobex-scan")]
        reports = session.client.progress_reports[tokens[-1]] if tokens else []
        return bool(reports) and isinstance(reports[-1], types.WorkDoneProgressEnd)

    await wait_for(ended, what="the end of the workspace scan")
    return scan_reports(session)


@clients(*PUSH_CLIENTS)
async def test_scan_publishes_every_file_with_progress(session: Session) -> None:
    reports = await scan_done(session)
    begin, *middle, end = reports
    assert isinstance(begin, types.WorkDoneProgressBegin)
    assert begin.title == "gobex: linting the workspace"
    assert begin.cancellable
    assert begin.percentage == 0
    assert begin.message == "0/3 files"
    assert [r.message for r in middle] == ["2/3 files", "3/3 files"]  # two directories
    assert [r.percentage for r in middle] == [66, 100]
    assert isinstance(end, types.WorkDoneProgressEnd)
    assert end.message == "3 files, 2 findings"

    for name in ("repo.go", "sub/other.go"):
        last = await wait_for(lambda n=name: session.recorder.last(session.uri(n)), what=name)
        assert last.version is None
        assert [(d.code, d.range.start.line) for d in last.diagnostics] == [("PG001", 12)]
    published = set(session.recorder.published)
    assert session.uri("clean.go") not in published  # nothing to report, nothing sent
    for skipped in ("vendor/example.com/v/v.go", "testdata/t.go", ".hidden/h.go"):
        assert session.uri(skipped) not in published


@clients(*PUSH_CLIENTS)
async def test_open_buffers_win_over_the_disk(session: Session) -> None:
    await scan_done(session)
    uri = session.open("repo.go", REPO_GO_FIXED)
    assert await session.diagnostics(uri, 1) == []
    count = len(session.recorder.published[uri])
    summary = await session.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="gobex.lintWorkspace", arguments=[])
    )
    assert summary == {"files": 2, "findings": 1, "cancelled": False}  # repo.go is open
    assert len(session.recorder.published[uri]) == count  # nothing from the disk


@clients(*PUSH_CLIENTS)
async def test_a_file_fixed_on_disk_is_cleared(session: Session) -> None:
    other = session.uri("sub/other.go")
    await scan_done(session)
    (session.root / "sub/other.go").write_text(
        REPO_GO_FIXED.replace("package repo", "package sub"), encoding="utf-8"
    )
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=other, type=types.FileChangeType.Changed)]
        )
    )
    await wait_for(
        lambda: list(session.recorder.last(other).diagnostics) == [], what="the cleared file"
    )
    (session.root / "repo.go").unlink()
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=session.uri("repo.go"), type=types.FileChangeType.Deleted)]
        )
    )
    await wait_for(
        lambda: list(session.recorder.last(session.uri("repo.go")).diagnostics) == [],
        what="the deleted file's diagnostics cleared",
    )


@clients(*PULL_CLIENTS)
async def test_workspace_diagnostics_are_pulled(session: Session) -> None:
    report = await session.client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[])
    )
    by_uri = {item.uri: item for item in report.items}
    assert set(by_uri) == {
        session.uri("repo.go"),
        session.uri("sub/other.go"),
        session.uri("clean.go"),
    }
    assert [d.code for d in by_uri[session.uri("repo.go")].items] == ["PG001"]
    assert list(by_uri[session.uri("clean.go")].items) == []
    assert session.recorder.published == {}  # a pulling client gets no pushes


@clients(PUSH_CLIENTS[0])
@pytest.mark.parametrize(
    "workspace",
    [pytest.param(150, id="150-directories")],
    indirect=True,
)
async def test_the_scan_can_be_cancelled(session: Session) -> None:
    token = await wait_for(
        lambda: next(
            (t for t in session.client.progress_reports if str(t).startswith("gobex-scan")), None
        ),
        what="the scan's progress token",
    )
    session.client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    reports = await scan_done(session)
    end = reports[-1]
    assert isinstance(end, types.WorkDoneProgressEnd)
    assert end.message == "cancelled"
    done = [r for r in reports if isinstance(r, types.WorkDoneProgressReport)]
    assert len(done) < 150
