"""Parsing on a Dask cluster: the optional scale-out of `pip install qualcode[dask]`.

Parsing is the cost of coding and a pure function of an interview's turns
and the pipeline, so the interviews that the cache lacks are partitioned
into tasks and parsed by the cluster's workers; the client reads the cache,
matches, and writes every output itself, exactly as a local run does, so
that the results folder is the same byte for byte.

A worker loads the pipeline once per process (`load_pipeline` is cached)
and sends back each interview as a `DocBin` of the attributes the cache
keeps: no tensors, a few kB per turn. A task whose worker dies is run
again elsewhere (Dask reschedules it, `RETRIES` times for an error); a run
that cannot finish raises E806 before anything is written.

`scheduler` is a Dask address (``tcp://host:8786``) or ``local:N`` for an
embedded `distributed.LocalCluster` of N worker processes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from qualcode.errors import CodingError, Errors

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: the environment variable the command line reads when --scheduler is not given
SCHEDULER_ENV = "QUALCODE_SCHEDULER"
LOCAL_PREFIX = "local:"
#: seconds to wait for a scheduler before saying it cannot be reached (E805)
CONNECT_TIMEOUT = 10
#: times a task that raised is tried again on another worker
RETRIES = 2
#: tasks per worker the interviews are cut into (smaller tasks balance better, larger cost less)
TASKS_PER_WORKER = 8
#: at most this many interviews per task
MAX_INTERVIEWS_PER_TASK = 32


def parse_task(language: str, pipeline: str, interviews: Sequence[Sequence[str]]) -> list[bytes]:
    """Run on a worker: each interview's turns parsed, as the bytes of a `DocBin` of the cache's attributes."""
    from spacy.tokens import DocBin

    from qualcode.nlp.cache import ATTRS
    from qualcode.nlp.pipelines import BATCH_SIZE, load_pipeline

    nlp = load_pipeline(language, pipeline)  # once per worker process
    found = []
    for texts in interviews:
        docs = list(nlp.pipe(list(texts), batch_size=BATCH_SIZE))
        found.append(DocBin(attrs=list(ATTRS), docs=docs).to_bytes())
    return found


def check_scheduler(scheduler: str) -> None:
    """Refuse a `local:N` whose N is not a number of workers (E804)."""
    if scheduler.startswith(LOCAL_PREFIX):
        count = scheduler[len(LOCAL_PREFIX):]
        if not count.isdigit() or not 1 <= int(count) <= 64:
            raise CodingError(Errors.E804.format(scheduler=scheduler))


class Cluster:
    """A connection to a Dask scheduler, opened on first use and closed by `close`."""

    def __init__(self, scheduler: str) -> None:
        check_scheduler(scheduler)
        self.scheduler = scheduler
        self._client: Any = None
        self._cluster: Any = None

    def client(self) -> Any:
        if self._client is not None:
            return self._client
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise CodingError(Errors.E803) from None
        if self.scheduler.startswith(LOCAL_PREFIX):
            workers = int(self.scheduler[len(LOCAL_PREFIX):])
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None)
            self._client = Client(self._cluster)
            return self._client
        try:
            self._client = Client(self.scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise CodingError(Errors.E805.format(scheduler=self.scheduler, reason=_reason(exc))) from None
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    def submit(self, language: str, pipeline: str, interviews: Sequence[Sequence[str]]) -> list[Any]:
        """Futures of parsed interviews: one per task, each holding `per_task(...)` interviews in order."""
        client = self.client()
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        size = per_task(len(interviews), workers)
        return [client.submit(parse_task, language, pipeline, [list(t) for t in interviews[i:i + size]],
                              retries=RETRIES, pure=False)
                for i in range(0, len(interviews), size)]


def per_task(interviews: int, workers: int) -> int:
    """Interviews per task: about `TASKS_PER_WORKER` tasks a worker, at most `MAX_INTERVIEWS_PER_TASK`."""
    return max(1, min(MAX_INTERVIEWS_PER_TASK, math.ceil(interviews / (workers * TASKS_PER_WORKER))))


def result(future: Any, scheduler: str) -> list[bytes]:
    """A task's result, or E806 when the cluster could not finish it (nothing is written then)."""
    try:
        return list(future.result())
    except CodingError:
        raise
    except Exception as exc:  # KilledWorker, CancelledError, a lost scheduler: the run cannot finish
        raise CodingError(Errors.E806.format(scheduler=scheduler, reason=_reason(exc))) from None


def docs_from(data: bytes, nlp: Language) -> list[Doc]:
    """The documents a worker sent back, in the client's vocabulary."""
    from spacy.tokens import DocBin

    return list(DocBin().from_bytes(data).get_docs(nlp.vocab))


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


__all__ = ["SCHEDULER_ENV", "Cluster", "check_scheduler", "parse_task"]
