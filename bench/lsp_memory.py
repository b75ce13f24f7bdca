"""Resident memory of ``gobex lsp`` with every file of a corpus open.

Spawns the server (debounce 0, no workspace scan), opens each file (as the editor
would: its package's other files are read from disk), waits until every file's
diagnostics arrived, and prints the server's RSS and peak RSS as JSON.

    .venv/bin/python bench/lsp_memory.py FILE_LIST_PATH
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lsp_latency import Connection, rss, server_command


async def measure(files: list[Path]) -> dict[str, float]:
    spawned = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *server_command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        limit=64 * 1024 * 1024,
    )
    connection = Connection(process)
    await connection.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": files[0].parent.as_uri(),
            "capabilities": {},
            "initializationOptions": {"debounceMs": 0, "workspaceScan": False},
        },
    )
    connection.notify("initialized", {})
    waiters = []
    # Distinct versions tell the files' diagnostics apart.
    for version, path in enumerate(files, start=1):
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        waiters.append(connection.diagnostics_for(version))
        connection.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": path.as_uri(),
                    "languageId": "go",
                    "version": version,
                    "text": text,
                }
            },
        )
    await asyncio.wait_for(asyncio.gather(*waiters), 1800)
    all_linted = time.perf_counter() - spawned
    resident, peak = rss(process.pid)
    await connection.request("shutdown", None)
    connection.notify("exit", None)
    await connection.stdin.drain()
    await asyncio.wait_for(process.wait(), 60)
    connection.reader.cancel()
    return {
        "files": len(files),
        "rss_kib": resident,
        "peak_rss_kib": peak,
        "seconds_to_all_diagnostics": all_linted,
    }


def main() -> int:
    files = [Path(line) for line in Path(sys.argv[1]).read_text().splitlines() if line]
    json.dump(asyncio.run(measure(files)), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
