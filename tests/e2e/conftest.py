"""Fixtures the end-to-end modules share."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database ``storyline demo`` builds, once per test session (it takes a while).
    Read it as it is; a test that writes works on a copy (``cli.copy_store``)."""
    folder = tmp_path_factory.mktemp("demo")
    env = {**os.environ, "STORYLINE_HOME": str(folder / "home"), "COLUMNS": "120"}
    env.pop("STORYLINE_DB", None)
    proc = subprocess.run(
        [sys.executable, "-m", "storyline", "demo", "--workspace", str(folder / "ws")],
        capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return folder / "ws" / "storyline.db"
