"""The fine-tuned hype classifier as a spaCy component.

Reads every document whole: the sentences of each doc are tokenized once, packed
into windows within the model's budget, and all windows of a batch of docs are
scored together, length-sorted and dynamically padded. Sets ``doc._.hype``
(calibrated P(hype) against nuance), ``doc._.hype_level`` (expected 0–4 level),
``doc._.hype_label`` and per-sentence scores (``sent._.hype``): from the model
folder's sentence head in the same pass, or (``sentence_head=False`` or no head)
by reading each sentence again on its own.

``nlp.to_disk()`` copies the model folder into the pipeline, so ``spacy.load()``
of the saved folder needs nothing else.
"""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Any, Iterable, Iterator, List, Optional, Sequence, Union

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path, minibatch

from ..extensions import register_extensions
from ..paths import find_in_checkout

logger = logging.getLogger(__name__)

MODEL_FILES = ("config.json", "model.safetensors", "sentence_head.safetensors", "tokenizer.json",
               "tokenizer_config.json", "vocab.txt", "special_tokens_map.json", "calibration.json", "README.md",
               "metrics.json")


def default_model_path() -> Path:
    """The shipped model: ``$HYPEDETECT_MODEL``, else ``models/hype-minilm`` of the source checkout."""
    env = os.environ.get("HYPEDETECT_MODEL")
    if env:
        return Path(env)
    found = find_in_checkout("models/hype-minilm", marker="config.json")
    if found is not None:
        return found
    raise FileNotFoundError(
        "the shipped model models/hype-minilm was not found next to the package; set HYPEDETECT_MODEL "
        "or pass a model folder: hypedetect.load(model=PATH)"
    )


class HypeClassifier:
    """Score docs and sentences with a hype model folder (see :mod:`hypedetect.model`)."""

    def __init__(
        self,
        nlp: Language,
        name: str = "hypedetect_classifier",
        *,
        model_path: str = "",
        dtype: str = "auto",
        device: str = "cpu",
        batch_size: int = 32,
        batch_tokens: int = 4096,
        sentence_scores: bool = True,
        sentence_head: bool = True,
    ) -> None:
        register_extensions()
        self.nlp = nlp
        self.name = name
        self.model_path = model_path
        self.dtype = dtype
        self.device = device
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        self.sentence_scores = sentence_scores
        self.sentence_head = sentence_head
        self._model: Any = None

    @property
    def hype_model(self) -> Any:
        """The loaded :class:`hypedetect.model.HypeModel` (loaded on first use).

        Not named ``model``: spaCy inspects ``component.model`` expecting a Thinc model.
        """
        if self._model is None:
            from ..model import HypeModel

            path = Path(self.model_path) if self.model_path else default_model_path()
            self._model = HypeModel.load(path, dtype=self.dtype, device=self.device)
            logger.info("loaded %s (%s, %s) from %s", self._model.meta["name"], self._model.dtype,
                        self._model.device, path)
        return self._model

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, stream: Iterable[Doc], batch_size: Optional[int] = None) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size or self.batch_size):
            self._score(list(batch))
            yield from batch

    def _sentences(self, doc: Doc) -> List[Any]:
        if doc.has_annotation("SENT_START"):
            return [s for s in doc.sents if s.text.strip()]
        return [doc[:]] if doc.text.strip() else []

    def _score(self, docs: Sequence[Doc]) -> None:
        model = self.hype_model
        candidates = [self._sentences(doc) for doc in docs]
        flat = [s.text for ss in candidates for s in ss]
        ids = model.tokenize(flat) if flat else []
        token_docs, sents, k = [], [], 0
        for ss in candidates:
            # A sentence of control or format characters only has no model tokens: nothing to score.
            kept = [(s, t) for s, t in zip(ss, ids[k:k + len(ss)]) if t]
            sents.append([s for s, _ in kept])
            token_docs.append([t for _, t in kept])
            k += len(ss)
        results = model.score_token_docs(token_docs, sentence_scores=self.sentence_scores,
                                         batch_tokens=self.batch_tokens, use_head=self.sentence_head)
        info = {"name": model.meta["name"], "version": model.meta["version"], "dtype": model.dtype}
        for doc, ss, res in zip(docs, sents, results):
            doc._.hype_model = info
            if not ss:
                doc._.hype, doc._.hype_level, doc._.hype_label, doc._.sentence_hype = None, None, None, {}
                continue
            doc._.hype, doc._.hype_level, doc._.hype_label = res["hype"], res["level"], res["label"]
            doc._.sentence_hype = {
                f"{s.start_char}:{s.end_char}": res["sentences"][i] for i, s in enumerate(ss) if i in res["sentences"]
            }

    def to_disk(self, path: Union[str, Path], *, exclude: Sequence[str] = tuple()) -> None:
        """Copy the model folder into ``path/model``."""
        path = ensure_path(path)
        target = path / "model"
        target.mkdir(parents=True, exist_ok=True)
        source = self.hype_model.path
        for name in MODEL_FILES:
            if (source / name).is_file() and (source / name).resolve() != (target / name).resolve():
                shutil.copy2(source / name, target / name)

    def from_disk(self, path: Union[str, Path], *, exclude: Sequence[str] = tuple()) -> "HypeClassifier":
        """Use the model folder saved by :meth:`to_disk` (loaded on first use)."""
        self.model_path = str(ensure_path(path) / "model")
        self._model = None
        return self


@Language.factory(
    "hypedetect_classifier",
    default_config={"model_path": "", "dtype": "auto", "device": "cpu", "batch_size": 32, "batch_tokens": 4096,
                    "sentence_scores": True, "sentence_head": True},
)
def make_classifier(
    nlp: Language, name: str, model_path: str, dtype: str, device: str, batch_size: int, batch_tokens: int,
    sentence_scores: bool, sentence_head: bool,
) -> HypeClassifier:
    """Create the ``hypedetect_classifier`` component."""
    return HypeClassifier(nlp, name, model_path=model_path, dtype=dtype, device=device, batch_size=batch_size,
                          batch_tokens=batch_tokens, sentence_scores=sentence_scores,
                          sentence_head=sentence_head)
