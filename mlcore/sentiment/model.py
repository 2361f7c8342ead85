"""The sentiment classifier from the registry: MiniLM with LoRA-adapted top layers and a star
head, as one network or as a cross-validated ensemble sharing the frozen lower layers."""

from __future__ import annotations

import json
import re
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from mlcore import encoder
from mlcore.registry import Registry
from mlcore.sentiment.data import LABELS

MAX_LENGTH = 256  # tokens; ~97% of the reviews fit whole, survey answers are shorter
LORA_R = 16
LORA_ALPHA = 32
LORA_DROPOUT = 0.1
# Adapters on the top two of MiniLM's six layers only: the lower four stay frozen, so training
# computes their output once per text and reuses it every epoch (mlcore.sentiment.train).
ADAPTED_LAYERS = (4, 5)
# Every attention and feed-forward projection of the adapted layers, not BERT's unused pooler
# (its `dense` would match a plain "dense" target).
LORA_TARGETS = (
    r".*encoder\.layer\.(" + "|".join(str(n) for n in ADAPTED_LAYERS) + r")\."
    r"(attention\.self\.(query|key|value)|attention\.output\.dense|intermediate\.dense|output\.dense)"
)
# The head scores the five star ratings; a label's probability is the sum of its stars'.
STARS_TO_LABEL = (0, 0, 1, 2, 2)  # 1-2 negative, 3 neutral, 4-5 positive
ADAPTER_DIR = "adapter"
MEMBERS_DIR = "members"  # members/<k>/lora.safetensors + head.safetensors (an ensemble)
MEMBER_LORA_FILE = "lora.safetensors"
HEAD_FILE = "head.safetensors"
CALIBRATION_FILE = "calibration.json"
TASK = "sentiment"


class SentimentError(Exception):
    """A sentiment request that cannot be met (no model, a broken artefact); says why."""


@dataclass
class SentimentResult:
    """One answer's sentiment; `probs` are calibrated and sum to 1."""

    label: str
    probs: dict[str, float]
    topics: list[str] = field(default_factory=list)
    model_version: str = ""
    attributions: list[tuple[str, float]] | None = None

    def to_json_dict(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "label": self.label,
            "probs": {k: round(v, 4) for k, v in self.probs.items()},
            "topics": list(self.topics),
            "model_version": self.model_version,
        }
        if self.attributions is not None:
            item["attributions"] = [[token, round(w, 4)] for token, w in self.attributions]
        return item


def lora_config() -> Any:
    from peft import LoraConfig

    return LoraConfig(
        r=LORA_R,
        lora_alpha=LORA_ALPHA,
        lora_dropout=LORA_DROPOUT,
        target_modules=LORA_TARGETS,
        bias="none",
    )


class SentimentNet(nn.Module):
    """Encoder body (LoRA-wrapped while training, merged for inference) + linear head."""

    def __init__(self, body: Any, head: nn.Linear | None = None, outputs: int = 5) -> None:
        super().__init__()
        self.body = body
        self.head = head if head is not None else nn.Linear(encoder.HIDDEN_SIZE, outputs)
        self.dropout = nn.Dropout(0.1)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.body(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        logits: torch.Tensor = self.head(self.dropout(encoder.mean_pool(hidden, attention_mask)))
        return logits


class EnsembleNet(nn.Module):
    """Cross-validation members sharing the frozen lower layers of one encoder.

    The embeddings and layers below ADAPTED_LAYERS run once per batch; each member then runs
    its own copy of the adapted top layers (LoRA merged in) and its own star head. The output
    is the log of the members' mean star probabilities, so `label_logits` treats it like one
    head's logits (softmax of a log-probability is the probability).
    """

    def __init__(self, body: Any, tops: list[nn.ModuleList], heads: list[nn.Linear]) -> None:
        super().__init__()
        self.body = body  # explanations attribute to body.embeddings.word_embeddings
        self.tops = nn.ModuleList(tops)
        self.heads = nn.ModuleList(heads)
        self.head = heads[0]  # shape of the output, for callers that ask
        self.first = ADAPTED_LAYERS[0]

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.forward_and_embed(input_ids, attention_mask, embed=False)[0]

    def forward_and_embed(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, *, embed: bool = True
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """`forward`'s output and, with `embed`, the plain base encoder's unit-length sentence
        embedding of the same tokens: the body is the unmodified base encoder, so its own top
        layers on the shared lower layers' states give exactly what a separate base-encoder
        pass would (mlcore.sentiment.insights), for the price of two layers instead of six."""
        hidden = self.body.embeddings(input_ids=input_ids)
        mask = encoder.layer_mask(self.body, attention_mask, hidden)
        hidden = encoder.run_blocks(self.body.encoder.layer[: self.first], hidden, mask)
        probs = torch.zeros(input_ids.shape[0], self.head.out_features, device=hidden.device)
        for top, head in zip(self.tops, self.heads, strict=True):
            pooled = encoder.mean_pool(encoder.run_blocks(top, hidden, mask), attention_mask)
            probs = probs + torch.softmax(head(pooled).float(), dim=-1)
        vectors = None
        if embed:
            base_top = encoder.run_blocks(self.body.encoder.layer[self.first :], hidden, mask)
            vectors = nn.functional.normalize(encoder.mean_pool(base_top, attention_mask), dim=-1)
        return (probs / len(self.heads)).clamp_min(1e-12).log(), vectors


_LORA_KEY = re.compile(r"encoder\.layer\.(\d+)\.(.+)\.lora_A(?:\.default)?\.weight$")


def merged_top_layers(
    bert: Any, lora_state: dict[str, torch.Tensor], scale: float = LORA_ALPHA / LORA_R
) -> nn.ModuleList:
    """A copy of `bert`'s adapted layers with one member's LoRA update merged into the weights
    (W += B·A·alpha/r, as peft's merge does; `scale` is the version's own alpha/r)."""
    import copy

    first = ADAPTED_LAYERS[0]
    top: nn.ModuleList = copy.deepcopy(bert.encoder.layer[first:])
    for key, lora_a in lora_state.items():
        found = _LORA_KEY.search(key)
        if not found:
            continue
        lora_b = lora_state[key.replace("lora_A", "lora_B")]
        module = top[int(found.group(1)) - first].get_submodule(found.group(2))
        with torch.no_grad():
            module.weight += (lora_b.float() @ lora_a.float()) * scale  # type: ignore[operator]
    return top


def save_head(head: Any, path: Path) -> None:
    from safetensors.torch import save_file

    state = {k: v.detach().cpu().contiguous() for k, v in head.state_dict().items()}
    save_file(state, str(path), metadata={"labels": ",".join(LABELS)})


def load_head(path: Path) -> nn.Linear:
    """The saved head: 384->5 (star ratings) or, for older versions, 384->3 (labels)."""
    from safetensors.torch import load_file

    state = load_file(str(path))
    head = nn.Linear(encoder.HIDDEN_SIZE, state["weight"].shape[0])
    head.load_state_dict(state)
    return head


def label_logits(logits: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
    """Head outputs -> uncalibrated label log-scores (before the temperature).

    A 5-way (star) head: log of the summed star probabilities per label, plus the per-label
    decision `bias` tuned on validation; a 3-way head (older versions): the logits as they are.
    Differentiable, so explanations use the same path.
    """
    if logits.shape[-1] == len(LABELS):
        return logits
    probs = torch.softmax(logits.float(), dim=-1)
    index = torch.tensor(STARS_TO_LABEL, device=logits.device)
    summed = torch.zeros(*probs.shape[:-1], len(LABELS), device=logits.device)
    summed = summed.index_add(-1, index, probs)
    scores = summed.clamp_min(1e-12).log()
    return scores if bias is None else scores + bias.to(logits.device)


class SentimentModel:
    """A trained version from the registry, ready to predict; LoRA merged for speed."""

    def __init__(
        self,
        net: Any,
        temperature: float,
        version: str,
        path: Path,
        *,
        bias: list[float] | None = None,
        max_length: int = MAX_LENGTH,
    ) -> None:
        self.net = net
        self.temperature = temperature
        self.version = version
        self.path = path
        self.bias = torch.tensor(bias or [0.0] * len(LABELS), dtype=torch.float)
        self.max_length = max_length
        self._lock = threading.Lock()  # one forward at a time: torch threads are shared anyway

    @classmethod
    def load(
        cls, version: str | None = None, *, registry: Registry | None = None
    ) -> SentimentModel:
        """`version` from the registry, or its active sentiment version when None."""
        from peft import PeftModel
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # stderr of the CLI stays readable
        registry = registry or Registry()
        chosen = registry.active(TASK) if version is None else registry.get(TASK, version)
        if (chosen.path / MEMBERS_DIR).is_dir():
            return cls._load_ensemble(chosen.version, chosen.path)
        missing = [
            name
            for name in (f"{ADAPTER_DIR}/adapter_model.safetensors", HEAD_FILE, CALIBRATION_FILE)
            if not (chosen.path / name).is_file()
        ]
        if missing:
            raise SentimentError(
                f"Sentiment model {chosen.version} at {chosen.path} lacks {', '.join(missing)}."
            )
        with warnings.catch_warnings():
            # peft 0.21 calls a transformers method deprecated in 5.x; nothing for us to fix.
            warnings.filterwarnings(
                "ignore", message=".*is_gradient_checkpointing", category=FutureWarning
            )
            body = PeftModel.from_pretrained(
                encoder.load_base_model(), str(chosen.path / ADAPTER_DIR)
            )
        body = body.merge_and_unload()  # plain BERT weights again: no adapter cost per call
        net = SentimentNet(body, load_head(chosen.path / HEAD_FILE))
        net.to(encoder.device()).eval()
        net.requires_grad_(False)  # explanations need input gradients only, never weights'
        calibration = json.loads((chosen.path / CALIBRATION_FILE).read_text())
        meta_path = chosen.path / "meta.json"
        meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
        return cls(
            net,
            float(calibration["temperature"]),
            chosen.version,
            chosen.path,
            bias=calibration.get("label_bias"),
            max_length=int(meta.get("architecture", {}).get("max_length", 160)),
        )

    @classmethod
    def _load_ensemble(cls, version: str, path: Path) -> SentimentModel:
        from safetensors.torch import load_file

        members = sorted(
            (p for p in (path / MEMBERS_DIR).iterdir() if p.is_dir()), key=lambda p: int(p.name)
        )
        broken = [
            str(m)
            for m in members
            if not ((m / MEMBER_LORA_FILE).is_file() and (m / HEAD_FILE).is_file())
        ]
        if not members or broken or not (path / CALIBRATION_FILE).is_file():
            raise SentimentError(
                f"Sentiment model {version} at {path} is incomplete: members "
                f"{', '.join(broken) or 'missing'} or {CALIBRATION_FILE} missing."
            )
        calibration = json.loads((path / CALIBRATION_FILE).read_text())
        meta_path = path / "meta.json"
        meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
        lora = meta.get("architecture", {}).get("lora", {})
        scale = float(lora.get("alpha", LORA_ALPHA)) / float(lora.get("r", LORA_R))
        body = encoder.load_base_model()
        tops = [
            merged_top_layers(body, load_file(str(m / MEMBER_LORA_FILE)), scale) for m in members
        ]
        heads = [load_head(m / HEAD_FILE) for m in members]
        net = EnsembleNet(body, tops, heads)
        net.to(encoder.device()).eval()
        net.requires_grad_(False)
        return cls(
            net,
            float(calibration["temperature"]),
            version,
            path,
            bias=calibration.get("label_bias"),
            max_length=int(meta.get("architecture", {}).get("max_length", MAX_LENGTH)),
        )

    def calibrated_probs(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> torch.Tensor:
        """Calibrated label probabilities (LABELS order) for a tokenised batch; differentiable."""
        return self._calibrate(self.net(input_ids, attention_mask))

    def _calibrate(self, logits: torch.Tensor) -> torch.Tensor:
        return torch.softmax(label_logits(logits, self.bias) / self.temperature, dim=-1)

    def shares_embeddings(self) -> bool:
        """Whether this version's forward pass also gives the comment-insights embeddings: an
        ensemble (its body is the plain base encoder) reading as many tokens as they do."""
        from mlcore.sentiment.topics import EMBED_MAX_LENGTH

        return isinstance(self.net, EnsembleNet) and self.max_length == EMBED_MAX_LENGTH

    def predict_probs(self, texts: list[str], batch_size: int = 32) -> list[list[float]]:
        """Calibrated probabilities in LABELS order, nothing else (no topics, no checks)."""
        return self._forward(texts, batch_size, embed=False)[0]

    def _forward(
        self, texts: list[str], batch_size: int, *, embed: bool
    ) -> tuple[list[list[float]], Any]:
        """Probabilities and, with `embed` (only where `shares_embeddings`), the base encoder's
        unit-length embeddings (numpy, n x 384) from the same pass; None without."""
        # Longest first within the call, so each batch pads to similar lengths.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        by_index: dict[int, list[float]] = {}
        vectors = torch.zeros(len(texts), encoder.HIDDEN_SIZE) if embed else None
        dev = encoder.device()
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                idx = order[start : start + batch_size]
                enc = encoder.tokenize([texts[i] for i in idx], self.max_length)
                ids, mask = enc["input_ids"].to(dev), enc["attention_mask"].to(dev)
                if vectors is None:
                    logits = self.net(ids, mask)
                else:
                    logits, batch_vectors = self.net.forward_and_embed(ids, mask)
                    vectors[idx] = batch_vectors.float().cpu()
                probs = self._calibrate(logits)
                by_index.update(zip(idx, probs.float().cpu().tolist(), strict=True))
        return [by_index[i] for i in range(len(texts))], (
            None if vectors is None else vectors.numpy()
        )

    def predict(
        self,
        texts: list[str],
        *,
        explain: bool = False,
        batch_size: int = 32,
        topics: bool = True,
    ) -> list[SentimentResult]:
        """Label, calibrated probabilities, topics (and word attributions) for each text.

        The label is the most probable of the three. An empty or whitespace-only text raises
        `ValueError("text N is empty")` (N: its 0-based position) before any work is done,
        so one bad item fails the whole call: callers that must answer the other items (the
        CLI, the Celery task) check or catch per item. `explain=True` adds word attributions
        (mlcore.sentiment.explain: integrated gradients, 16 steps in one batch per answer).
        """
        _check_texts(texts)
        if not texts:
            return []
        with self._lock:
            all_probs = self.predict_probs(texts, batch_size)
        return self._results(texts, all_probs, batch_size, explain=explain, topics=topics)

    def analyse(
        self, texts: list[str], *, batch_size: int = 32
    ) -> tuple[list[SentimentResult], Any]:
        """What a survey answer's analysis stores: `predict(texts)` (label, probabilities,
        topics) and each text's comment-insights embedding (numpy, n x 384, what
        `mlcore.sentiment.insights.embed` gives), in as few encoder passes as the version
        allows: an ensemble embeds in its own forward pass (`shares_embeddings`), any other
        version in a separate base-encoder pass. Empty texts raise as in `predict`.
        """
        from mlcore.sentiment.insights import embed

        _check_texts(texts)
        if not texts:
            return [], embed([])
        shared = self.shares_embeddings()
        with self._lock:
            all_probs, vectors = self._forward(texts, batch_size, embed=shared)
        results = self._results(texts, all_probs, batch_size, explain=False, topics=True)
        return results, vectors if shared else embed(texts, batch_size=batch_size)

    def _results(
        self,
        texts: list[str],
        all_probs: list[list[float]],
        batch_size: int,
        *,
        explain: bool,
        topics: bool,
    ) -> list[SentimentResult]:
        found_topics: list[list[str]] = [[] for _ in texts]
        if topics:
            from mlcore.sentiment.topics import get_tagger

            found_topics = get_tagger().tag(texts, batch_size=batch_size)
        results = []
        for text, probs, text_topics in zip(texts, all_probs, found_topics, strict=True):
            best = max(range(len(LABELS)), key=lambda k: probs[k])
            attributions = None
            if explain:
                from mlcore.sentiment.explain import explain_text

                with self._lock:
                    attributions = explain_text(self, text, target=best)
            results.append(
                SentimentResult(
                    label=LABELS[best],
                    probs=dict(zip(LABELS, probs, strict=True)),
                    topics=text_topics,
                    model_version=self.version,
                    attributions=attributions,
                )
            )
        return results

    def explain(
        self, texts: list[str], *, labels: list[str], method: str = "integrated_gradients"
    ) -> list[list[Any]]:
        """Word attributions of each text for its label (as `predict(explain=True)` gives for
        the predicted one): `[[word, weight or None], ...]` per text.

        `method`: one of `mlcore.sentiment.explain.METHODS`. Integrated gradients runs several
        texts per batch; SHAP and attention rollout one text at a time (SHAP batches its own
        masked copies of the text). For the few answers a reader will see: attributions cost
        far more than a prediction, so callers label everything first and explain only what
        they show.
        """
        from mlcore.sentiment.explain import METHODS, explain_method, explain_texts

        if method not in METHODS:
            raise ValueError(f"unknown explanation method {method!r}; one of {', '.join(METHODS)}")
        _check_texts(texts)
        unknown = sorted(set(labels) - set(LABELS))
        if unknown:
            raise ValueError(f"unknown label(s): {', '.join(unknown)}")
        if len(labels) != len(texts):
            raise ValueError("one label per text")
        targets = [LABELS.index(lb) for lb in labels]
        with self._lock:
            if method == "integrated_gradients":
                return [
                    [[w, x] for w, x in words]
                    for words in explain_texts(self, texts, targets=targets)
                ]
            return [
                explain_method(self, method, text, target=target)
                for text, target in zip(texts, targets, strict=True)
            ]


def _check_texts(texts: list[str]) -> None:
    for n, text in enumerate(texts):
        if not text or not text.strip():
            raise ValueError(f"text {n} is empty")


_MODELS: dict[str | None, SentimentModel] = {}
_MODELS_LOCK = threading.Lock()


def get_model(version: str | None = None) -> SentimentModel:
    """The model for `version` (None: active), loaded once per process and then reused.

    The active model and the same version asked for by its name are one copy, whichever is
    asked for first (a worker that warmed it at start-up does not load a second copy for its
    first analysis task); None keeps the version first loaded, a name always gives that version.
    """
    with _MODELS_LOCK:
        if version not in _MODELS:
            if version is None:
                active = Registry().active(TASK).version
                if active in _MODELS:
                    _MODELS[None] = _MODELS[active]
                    return _MODELS[None]
            encoder.set_threads()  # SMARTHR_TORCH_THREADS, as the fit model's loader does
            model = SentimentModel.load(version)
            _MODELS[version] = model
            _MODELS.setdefault(model.version, model)
        return _MODELS[version]
