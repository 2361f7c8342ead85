"""Are the sentiment explanations faithful? Deleting the words a method ranks highest must
lower the label's probability more than deleting random words, and inserting them first must
bring it back faster.

For each answer the target is its predicted label. Its read words are deleted (or, starting
from none, inserted) in each method's order, best first, at `FRACTIONS` of the read words.
Area over the deletion curve = mean drop of the label's calibrated probability (in points,
0-100) over the fractions; area under the insertion curve = mean gain over the answer with no
read words. Random orders are the baseline, on the same answers in the same run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from mlcore.attribution import curve_masks
from mlcore.sentiment.data import LABELS
from mlcore.sentiment.explain import WordDeleter, explain_method, shap_words

if TYPE_CHECKING:
    from mlcore.sentiment.model import SentimentModel

FRACTIONS = (0.05, 0.1, 0.2, 0.3, 0.5)
RANDOM = "random"


@dataclass
class CurveResult:
    method: str
    texts: int
    deletion: list[float] = field(default_factory=list)  # mean drop at each fraction
    insertion: list[float] = field(default_factory=list)  # mean gain at each fraction
    seconds: float = 0.0  # per explanation

    @property
    def aopc(self) -> float:
        """Area over the deletion curve (mean drop over the fractions): higher is better."""
        return float(np.mean(self.deletion))

    @property
    def insertion_auc(self) -> float:
        """Area under the insertion curve (mean gain over the fractions): higher is better."""
        return float(np.mean(self.insertion))


def _weights(model: SentimentModel, method: str, text: str, target: int) -> list[float | None]:
    """ "shap@N": SHAP with a budget of N evaluations (to compare budgets in one run)."""
    if method.startswith("shap@"):
        pairs = shap_words(model, text, target=target, max_evals=int(method[5:]))
    else:
        pairs = explain_method(model, method, text, target=target)
    return [p[1] for p in pairs]


def curves(
    model: SentimentModel,
    texts: list[str],
    methods: list[str],
    *,
    fractions: tuple[float, ...] = FRACTIONS,
    random_draws: int = 3,
    seed: int = 0,
) -> list[CurveResult]:
    """Deletion and insertion curves for each method and for random orders, same answers."""
    rng = np.random.default_rng(seed)
    results = {m: CurveResult(m, len(texts)) for m in [*methods, RANDOM]}
    per_text: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {m: [] for m in results}
    for text in texts:
        probs = model.predict_probs([text])[0]
        target = max(range(len(LABELS)), key=lambda k: probs[k])
        deleter = WordDeleter(model, text, target)
        n = deleter.read
        full, empty = deleter(np.stack([np.ones(n), np.zeros(n)])) * 100
        orders: dict[str, list[np.ndarray]] = {}
        for method in methods:
            started = time.perf_counter()
            weights = _weights(model, method, text, target)
            results[method].seconds += time.perf_counter() - started
            # Integrated gradients glue words its own way: weigh the first n words it gives.
            read = np.array([0.0 if w is None else w for w in weights[:n]], dtype=np.float64)
            read = np.pad(read, (0, n - len(read)))
            orders[method] = [np.argsort(-read, kind="stable")]  # ties in reading order
        orders[RANDOM] = [rng.permutation(n) for _ in range(random_draws)]
        for method, method_orders in orders.items():
            deletion, insertion = [], []
            for order in method_orders:
                scores = deleter(curve_masks(order, n, fractions)) * 100
                deletion.append(full - scores[0::2])
                insertion.append(scores[1::2] - empty)
            per_text[method].append((np.mean(deletion, 0), np.mean(insertion, 0)))
    for method, rows in per_text.items():
        result = results[method]
        result.deletion = np.mean([d for d, _ in rows], 0).tolist()
        result.insertion = np.mean([i for _, i in rows], 0).tolist()
        result.seconds /= max(1, len(texts))
    return [results[m] for m in [*methods, RANDOM]]
