"""Comment insights (no Django): representative comments, emerging themes and eNPS drivers.

Every function takes plain arrays and lists and returns dataclasses; which comments and
answers may go in (the anonymity rule) is the caller's business (hr.analytics.insights).

- `representative`: the most central comments of a group (cosine similarity to the group's
  mean embedding), picked one by one with maximal marginal relevance so that the second and
  third say something the first did not.
- `emerging_themes`: agglomerative clusters of comment embeddings (cosine, average linkage,
  a distance threshold rather than a number of clusters) that no one fixed topic
  (mlcore.sentiment.topics) explains, each named by its key phrases (class-based TF-IDF of
  1-2 word phrases that at least two of its comments use).
- `enps_driver`: Spearman's rank correlation of a Likert item with the eNPS answer of the same
  response, with a percentile bootstrap 95% interval (seeded, so a page reads the same twice;
  1,000 resamples up to 400 pairs, fewer above, never under 200).
- `embed`: comment embeddings from the base encoder the topic tagger already holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

# A theme: at least this many comments, and no fixed topic on more than DOMINANT_SHARE of them.
MIN_THEME_SIZE = 5
THEME_DISTANCE = 0.65  # cosine distance at which average-linkage clusters stop merging (docs)
DOMINANT_SHARE = 0.6
MAX_CLUSTERED = 2000  # above this, k-means instead of the quadratic agglomerative clustering
PHRASES_PER_THEME = 3
MMR_DIVERSITY = 0.3  # weight of "unlike those already picked" against centrality
DUPLICATE_SIMILARITY = 0.95  # a comment this close to one already picked is not picked
BOOTSTRAP_RESAMPLES = 1000
# Work per item capped at about this many resampled pairs: 1,000 resamples up to 400 pairs,
# fewer above (never under 200), where the interval is narrow anyway.
BOOTSTRAP_BUDGET = 400_000
MIN_RESAMPLES = 200
BOOTSTRAP_SEED = 19

Vectors = NDArray[np.float32]


def embed(texts: list[str], batch_size: int = 32) -> Vectors:
    """Unit-length embeddings (n x 384) of whole comments, by the topic tagger's base encoder."""
    from mlcore.sentiment.topics import get_tagger

    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.asarray(get_tagger().embed(texts, batch_size=batch_size), dtype=np.float32)


def _unit(vectors: NDArray[np.floating]) -> Vectors:
    array = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return np.asarray(array / np.maximum(norms, 1e-12), dtype=np.float32)


def representative(
    vectors: NDArray[np.floating], *, count: int = 3, diversity: float = MMR_DIVERSITY
) -> list[int]:
    """Indices of the `count` most representative rows, most central first.

    Each pick maximises (1 - diversity) * centrality - diversity * (similarity to the closest
    row already picked), skipping near-copies of a pick; ties go to the earlier row, so the
    same input gives the same picks.
    """
    if len(vectors) == 0 or count <= 0:
        return []
    unit = _unit(vectors)
    centre = unit.mean(axis=0)
    centre /= max(float(np.linalg.norm(centre)), 1e-12)
    centrality = unit @ centre
    chosen: list[int] = []
    redundancy = np.zeros(len(unit), dtype=np.float32)
    for _ in range(min(count, len(unit))):
        score = (1 - diversity) * centrality - diversity * redundancy
        score[chosen] = -np.inf
        if chosen:  # the same words again are not a second quote (unless nothing else is left)
            duplicates = redundancy >= DUPLICATE_SIMILARITY
            if not np.all(duplicates | np.isinf(score)):
                score[duplicates] = -np.inf
        pick = int(np.argmax(score))
        chosen.append(pick)
        redundancy = np.maximum(redundancy, unit @ unit[pick])
    return chosen


@dataclass(frozen=True)
class Theme:
    """A cluster of comments: its rows (indices into the input), key phrases and the fixed
    topic most of its comments share (None when none does)."""

    members: tuple[int, ...]
    phrases: tuple[str, ...]
    nearest_topic: str | None


def cluster(vectors: NDArray[np.floating], *, distance: float = THEME_DISTANCE) -> list[int]:
    """A cluster label per row (agglomerative, cosine, average linkage)."""
    n = len(vectors)
    if n < 2:
        return [0] * n
    unit = _unit(vectors)
    if n > MAX_CLUSTERED:
        from sklearn.cluster import KMeans

        k = max(2, int(np.sqrt(n / 2)))
        labels = KMeans(n_clusters=k, n_init=3, random_state=BOOTSTRAP_SEED).fit_predict(unit)
        return [int(x) for x in labels]
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None, distance_threshold=distance, metric="cosine", linkage="average"
    )
    return [int(x) for x in model.fit_predict(unit)]


def key_phrases(
    texts: Sequence[str], labels: Sequence[int], *, top: int = PHRASES_PER_THEME
) -> dict[int, list[str]]:
    """Per cluster label, its key phrases: class-based TF-IDF of 1-2 word phrases (English
    stop words out) that at least two of the cluster's texts contain."""
    from sklearn.feature_extraction.text import CountVectorizer

    if not texts:
        return {}
    try:
        vectorizer = CountVectorizer(ngram_range=(1, 2), stop_words="english", min_df=2)
        counts = vectorizer.fit_transform(texts)
    except ValueError:  # no phrase in two texts at all
        return {label: [] for label in set(labels)}
    vocabulary = vectorizer.get_feature_names_out()
    label_array = np.asarray(labels)
    clusters = sorted(set(labels))
    present = (counts > 0).astype(np.int32)
    per_cluster = np.vstack([np.asarray(counts[label_array == c].sum(axis=0)) for c in clusters])
    docs_with = np.vstack([np.asarray(present[label_array == c].sum(axis=0)) for c in clusters])
    words_per_cluster = per_cluster.sum(axis=1).mean()
    idf = np.log(1 + words_per_cluster / np.maximum(per_cluster.sum(axis=0), 1))
    tf = per_cluster / np.maximum(per_cluster.sum(axis=1, keepdims=True), 1)
    scores = tf * idf
    out: dict[int, list[str]] = {}
    for row, c in enumerate(clusters):
        picked: list[str] = []
        for j in np.argsort(-scores[row], kind="stable"):
            if len(picked) >= top:
                break
            if docs_with[row, j] < 2 or scores[row, j] <= 0:
                continue
            phrase = str(vocabulary[j])
            if any(phrase in p or p in phrase for p in picked):
                continue  # "pay" next to "low pay" says nothing new
            picked.append(phrase)
        out[c] = picked
    return out


def emerging_themes(
    vectors: NDArray[np.floating],
    texts: Sequence[str],
    topics: Sequence[Sequence[str]],
    *,
    min_size: int = MIN_THEME_SIZE,
    distance: float = THEME_DISTANCE,
) -> list[Theme]:
    """Clusters of at least `min_size` comments that no fixed topic dominates, with a name;
    largest first. `topics` are each comment's fixed topics (mlcore.sentiment.topics)."""
    if len(vectors) < min_size:
        return []
    labels = cluster(vectors, distance=distance)
    sizes = Counter(labels)
    big = [c for c, size in sizes.items() if size >= min_size]
    if not big:
        return []
    phrases = key_phrases(texts, labels)
    themes: list[Theme] = []
    for c in big:
        members = tuple(i for i, label in enumerate(labels) if label == c)
        shared = Counter(t for i in members for t in set(topics[i]))
        nearest, share = shared.most_common(1)[0] if shared else (None, 0)
        if share / len(members) >= DOMINANT_SHARE or not phrases.get(c):
            continue  # a fixed topic already covers it, or nothing names it
        themes.append(Theme(members=members, phrases=tuple(phrases[c]), nearest_topic=nearest))
    themes.sort(key=lambda t: (-len(t.members), t.phrases))
    return themes


@dataclass(frozen=True)
class Correlation:
    """Spearman's rho with its bootstrap 95% interval, over `n` paired answers."""

    rho: float
    low: float
    high: float
    n: int


def _ranks(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Average ranks (1-based, ties share their mean rank) along the last axis.

    Answers are small whole numbers (eNPS 0-10, agreement 1-5), so ranks come from counts
    per value in linear time; anything else goes through scipy's rankdata.
    """
    small = np.all(values == np.round(values)) and values.min() >= 0 and values.max() < 64
    if not small:
        from scipy.stats import rankdata

        return np.asarray(rankdata(values, axis=-1), dtype=np.float64)
    codes = values.astype(np.int64)
    rows = codes.reshape(-1, codes.shape[-1])
    width = int(codes.max()) + 1
    offsets = np.arange(rows.shape[0])[:, None] * width
    counts = np.bincount((rows + offsets).ravel(), minlength=rows.shape[0] * width)
    counts = counts.reshape(rows.shape[0], width)
    below = np.cumsum(counts, axis=1) - counts  # answers with a smaller value
    average = below + (counts + 1) / 2.0
    ranks = np.take_along_axis(average, rows, axis=1)
    return ranks.reshape(values.shape)


def _spearman_rows(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    """Spearman's rho of each row pair (average ranks for ties); NaN where a row is constant."""
    rx = _ranks(x)
    ry = _ranks(y)
    rx -= rx.mean(axis=-1, keepdims=True)
    ry -= ry.mean(axis=-1, keepdims=True)
    denominator = np.sqrt((rx * rx).sum(axis=-1) * (ry * ry).sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = (rx * ry).sum(axis=-1) / denominator
    return np.where(denominator > 0, rho, np.nan)


def enps_driver(
    item: Sequence[float],
    enps: Sequence[float],
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> Correlation | None:
    """How a Likert item moves with eNPS: Spearman's rho over pairs answered in one response,
    with a percentile bootstrap 95% interval. None when either side never varies."""
    x = np.asarray(item, dtype=np.float64)
    y = np.asarray(enps, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError("one eNPS answer per Likert answer")
    if len(x) < 3:
        return None
    rho = float(_spearman_rows(x[None, :], y[None, :])[0])
    if np.isnan(rho):
        return None
    resamples = max(min(resamples, BOOTSTRAP_BUDGET // len(x)), MIN_RESAMPLES)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(x), size=(resamples, len(x)))
    boot = _spearman_rows(x[picks], y[picks])
    boot = boot[~np.isnan(boot)]
    low, high = (float(v) for v in np.percentile(boot, [2.5, 97.5]))
    return Correlation(rho=rho, low=low, high=high, n=len(x))


def vector_bytes(vector: NDArray[np.floating]) -> bytes:
    """A stored embedding: float16, 768 bytes for 384 dimensions."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def vectors_from_bytes(blobs: Sequence[bytes]) -> Vectors:
    """Stored embeddings (vector_bytes) back as one unit-length float32 matrix."""
    if not blobs:
        return np.zeros((0, 384), dtype=np.float32)
    return _unit(np.vstack([np.frombuffer(bytes(b), dtype=np.float16) for b in blobs]))
