"""``python -m gobex``: the same as the ``gobex`` command."""

from gobex.cli.main import entry

entry()
