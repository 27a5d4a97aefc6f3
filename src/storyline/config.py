"""Where things live. Defaults work offline with no configuration at all.

- the database: ``--db PATH``, else ``$STORYLINE_DB``, else ``<user data dir>/storyline.db``;
- the editable feed list: ``<user config dir>/feeds.toml`` (written by ``storyline init`` from
  the packaged default list).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP = "storyline"


def data_dir() -> Path:
    return Path(os.environ.get("STORYLINE_HOME") or user_data_dir(APP))


def config_dir() -> Path:
    return Path(os.environ.get("STORYLINE_HOME") or user_config_dir(APP))


def default_db_path() -> Path:
    env = os.environ.get("STORYLINE_DB")
    return Path(env).expanduser() if env else data_dir() / "storyline.db"


def user_feed_list() -> Path:
    return config_dir() / "feeds.toml"
