"""Run ``storyline ingest FILE`` and send this process a signal inside the N-th write
transaction of one stage, just before it would commit.

    python interrupted_ingest.py DB FILE STAGE N SIGNAL      (SIGNAL: INT or KILL)
    python interrupted_ingest.py DB FILE --count             (print transactions per stage)

The pipeline is the product's own (``Pipeline.ingest_paths``, as ``storyline ingest`` runs it);
only the store's ``transaction`` is wrapped, to know where the run is. Ingest batches are made
small so that the ingest stage has several transactions to be interrupted in. Exit status 0
means the run finished without reaching the N-th transaction (the caller then knows the fault was
not injected).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections import Counter
from contextlib import contextmanager

from storyline import pipeline as pipeline_module
from storyline.pipeline import STAGES, Pipeline
from storyline.store import open_store


def main() -> None:
    db, path, *rest = sys.argv[1:]
    counting = rest == ["--count"]
    target, nth, sig = (None, 0, None) if counting else (rest[0], int(rest[1]), rest[2])
    pipeline_module.BATCH = 25
    # Ctrl-C as a user's terminal delivers it: whatever SIGINT disposition or mask the test
    # runner's process passed down is reset (in a full suite run the child was found not to
    # see the SIGINT below, alone it did), so that the signal interrupts the run
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    store = open_store(db)
    where = {"stage": "ingest"}
    seen: Counter[str] = Counter()
    plain = store.transaction

    @contextmanager
    def transaction():  # noqa: ANN202
        outermost = store._depth == 0
        with plain():
            yield
            if outermost:
                seen[where["stage"]] += 1
                if where["stage"] == target and seen[target] == nth:
                    os.kill(os.getpid(), getattr(signal, f"SIG{sig}"))

    store.transaction = transaction
    pipe = Pipeline(store)
    for stage in STAGES:
        run = getattr(pipe, f"_run_{stage}")

        def staged(run=run, stage=stage):  # noqa: ANN001, ANN202
            where["stage"] = stage
            return run()

        setattr(pipe, f"_run_{stage}", staged)
    pipe.ingest_paths([path])
    store.close()
    if counting:
        print(json.dumps(dict(seen)))


if __name__ == "__main__":
    main()
