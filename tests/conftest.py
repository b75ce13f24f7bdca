"""Shared test set-up.

Hypothesis runs derandomized by default (profile ``ci``): the test command gives
the same verdict on every run, so a property failure is a regression of the
change under test, not the luck of the draw. Explore with fresh random examples
by setting ``GOBEX_HYPOTHESIS_PROFILE=explore`` (and more of them with
``--hypothesis-seed`` or a larger ``max_examples`` there).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("GOBEX_HYPOTHESIS_PROFILE", "ci"))
