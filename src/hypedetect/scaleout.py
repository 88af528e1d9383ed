"""Scale-out engines for :func:`hypedetect.batch.score_archive`.

Ray Data runs the same :class:`~hypedetect.batch.Scorer` as a callable class in an
actor pool, so each actor loads the pipeline once. Documents are read on the
driver and sent in blocks, so output order and resume behave as in the local engine.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Callable, Dict, Iterable, List

from .archives import Document, MissingExtraError

logger = logging.getLogger(__name__)

BLOCK_POSTS = 2048


def _ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as err:
        raise MissingExtraError(
            f"--engine ray needs Ray Data ({err}); install it with: pip install 'hypedetect[ray]'") from None
    return ray


def score_with_ray(
    documents: Iterable[Document],
    scorer: Any,
    emit: Callable[[List[Dict[str, Any]]], None],
    *,
    batch_size: int = 64,
    workers: int = 1,
    block_posts: int = BLOCK_POSTS,
) -> None:
    """Score ``documents`` on a Ray Data actor pool and pass records to ``emit`` in input order.

    Connects to a running Ray cluster if one is configured (``RAY_ADDRESS``), else
    starts a local one.
    """
    from .batch import Scorer, _batches, document_to_row

    ray = _ray()
    if not ray.is_initialized():
        ray.init(ignore_reinit_error=True, include_dashboard=False, logging_level=logging.WARNING,
                 log_to_driver=False)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    for block in _batches(documents, block_posts):
        dataset = ray.data.from_items([document_to_row(d) for d in block])
        scored = dataset.map_batches(
            Scorer, fn_constructor_kwargs=scorer.settings, concurrency=workers, batch_size=batch_size,
            batch_format="numpy")
        records: List[Dict[str, Any]] = []
        for row in scored.iter_rows():
            records.append(json.loads(row["record"]))
            if len(records) >= batch_size:
                emit(records)
                records = []
        if records:
            emit(records)
