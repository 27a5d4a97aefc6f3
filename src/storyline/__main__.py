"""``python -m storyline`` is the ``storyline`` command."""

from .cli import app

app()
