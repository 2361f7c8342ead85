"""Workplace topics of a free-text answer, zero-shot: sentence embeddings near topic phrases.

Each topic has a description and example phrases written for this project. The plain base
encoder (not the sentiment-tuned one: its space is bent towards polarity) embeds them once.
An answer is cut into sentences and clauses; a topic's score is the best cosine similarity
between any clause and any of its phrases, so a long answer that mentions pay once still
gets "pay_benefits". Topics at or above THRESHOLD are returned, best first, at most
MAX_TOPICS. Nothing is trained on the review data; THRESHOLD was chosen on the "dev" half of
bench/data/topic_eval.jsonl and is measured on its "test" half (python -m bench.topic_eval).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mlcore import encoder

THRESHOLD = 0.4  # best F1 on the dev half (0.30-0.70 swept in steps of 0.05)
MAX_TOPICS = 3
MAX_LENGTH = 64  # tokens per clause
EMBED_MAX_LENGTH = 128  # tokens per whole text, for comment insights (`embed`)


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    description: str
    examples: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "pay_benefits",
        "Pay and benefits",
        "salary, wages, bonuses, raises, health insurance, stock and other benefits",
        (
            "the pay is good",
            "my salary is too low",
            "we have not had a raise in years",
            "great benefits and health insurance",
            "bonuses and stock options",
            "free food and perks",
            "compensation is below the market",
        ),
    ),
    Topic(
        "management",
        "Management",
        "managers, supervisors and leadership: how they lead, decide and treat people",
        (
            "my manager is supportive",
            "management does not listen to employees",
            "the leadership team makes poor decisions",
            "supervisors play favourites",
            "upper management is out of touch",
            "my boss micromanages everything",
        ),
    ),
    Topic(
        "workload",
        "Workload",
        "amount of work, pace, pressure, long hours, overtime, staffing and deadlines",
        (
            "too much work and not enough people",
            "we are always understaffed",
            "long hours and mandatory overtime",
            "the pace is fast and stressful",
            "unrealistic deadlines",
            "the workload is manageable",
        ),
    ),
    Topic(
        "growth",
        "Growth and career",
        "career development, promotion, advancement, learning and training opportunities",
        (
            "there is no room for advancement",
            "I learned a lot here",
            "good opportunities for promotion",
            "the training program is excellent",
            "no career path for people like me",
            "I can grow my skills",
        ),
    ),
    Topic(
        "culture",
        "Culture",
        "company culture, values, atmosphere, diversity, inclusion and how people are treated",
        (
            "the company culture is great",
            "a toxic work environment",
            "people are treated with respect",
            "diversity and inclusion matter here",
            "the atmosphere is friendly and open",
            "a culture of fear and blame",
        ),
    ),
    Topic(
        "team",
        "Team and colleagues",
        "coworkers, teammates and collaboration",
        (
            "my coworkers are great",
            "the team works well together",
            "smart and helpful colleagues",
            "my teammates do not pull their weight",
            "good collaboration between teams",
        ),
    ),
    Topic(
        "work_life_balance",
        "Work–life balance",
        "balance between work and private life, flexibility, remote work, schedules and time off",
        (
            "good work life balance",
            "no time for my family",
            "flexible hours and working from home",
            "enough vacation and paid time off",
            "the schedule changes every week",
            "I can never switch off after work",
        ),
    ),
    Topic(
        "tools",
        "Tools and processes",
        "equipment, software, systems, processes and bureaucracy that people work with",
        (
            "the tools we use are outdated",
            "great internal software and systems",
            "too much bureaucracy and red tape",
            "slow laptops and broken equipment",
            "processes are unclear and inefficient",
        ),
    ),
    Topic(
        "job_security",
        "Job security",
        "layoffs, stability of the job, contracts and fear of being fired",
        (
            "people are laid off without warning",
            "my job feels secure",
            "temporary contracts with no path to a permanent role",
            "high turnover and constant firing",
        ),
    ),
    Topic(
        "communication",
        "Communication",
        "how information is shared, transparency, meetings and clarity of goals",
        (
            "communication from leadership is poor",
            "we are kept in the dark about changes",
            "goals and expectations are clear",
            "too many meetings",
            "transparent about company plans",
        ),
    ),
    Topic(
        "recognition",
        "Recognition",
        "appreciation, feedback, being valued and rewarded for good work",
        (
            "my work is not appreciated",
            "hard work goes unrecognised",
            "I feel valued here",
            "regular and useful feedback",
        ),
    ),
    Topic(
        "workplace",
        "Workplace and safety",
        "the physical workplace, office, facilities, health and safety",
        (
            "the office is beautiful",
            "unsafe working conditions on the floor",
            "the factory is hot and dirty",
            "nice campus and facilities",
            "a long commute to the office",
        ),
    ),
)
TOPIC_KEYS: tuple[str, ...] = tuple(t.key for t in TOPICS)

# Sentences, and clauses joined by "but"/"however"/";": an answer often praises one thing and
# criticises another in the same sentence.
_CLAUSE_SPLIT = re.compile(r"(?<=[.!?])\s+|\s*[;\n]+\s*|,?\s+\b(?:but|however|although)\b\s+", re.I)


def clauses(text: str) -> list[str]:
    parts = [p.strip(" ,.-") for p in _CLAUSE_SPLIT.split(text)]
    parts = [p for p in parts if len(p) >= 3]
    return parts or [text.strip()]


class TopicTagger:
    """The base encoder plus the topic phrases embedded once; `tag` is thread-safe."""

    def __init__(self, threshold: float = THRESHOLD, max_topics: int = MAX_TOPICS) -> None:
        import torch
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        self.threshold = threshold
        self.max_topics = max_topics
        self.model = encoder.load_base_model().to(encoder.device()).eval()
        self.model.requires_grad_(False)
        self._lock = threading.Lock()
        phrases, owners = [], []
        for k, topic in enumerate(TOPICS):
            for phrase in (topic.description, *topic.examples):
                phrases.append(phrase)
                owners.append(k)
        self._phrase_vectors = self._embed(phrases, 64)
        self._owners = torch.tensor(owners)

    def _embed(self, texts: list[str], batch_size: int, max_length: int = MAX_LENGTH) -> Any:
        import torch

        # Longest first, so each batch pads to similar lengths (clauses vary from 3 words to
        # 60 tokens); the rows go back in the callers' order.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        vectors = torch.zeros(len(texts), encoder.HIDDEN_SIZE)
        dev = encoder.device()
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                idx = order[start : start + batch_size]
                enc = encoder.tokenize([texts[i] for i in idx], max_length)
                mask = enc["attention_mask"].to(dev)
                hidden = self.model(
                    input_ids=enc["input_ids"].to(dev), attention_mask=mask
                ).last_hidden_state
                vectors[idx] = (
                    torch.nn.functional.normalize(encoder.mean_pool(hidden, mask), dim=-1)
                    .float()
                    .cpu()
                )
        return vectors

    def scores(self, texts: list[str], batch_size: int = 64) -> list[dict[str, float]]:
        """Per text, each topic's best clause-to-phrase cosine similarity."""
        import torch

        pieces, owner = [], []
        for n, text in enumerate(texts):
            for clause in clauses(text):
                pieces.append(clause)
                owner.append(n)
        if not pieces:
            return []
        with self._lock:
            vectors = self._embed(pieces, batch_size)
        sims = vectors @ self._phrase_vectors.T  # clauses x phrases
        per_topic = torch.full((len(pieces), len(TOPICS)), -1.0)
        per_topic = per_topic.scatter_reduce(
            1, self._owners.expand(len(pieces), -1), sims, reduce="amax"
        )
        owners = torch.tensor(owner)
        return [
            dict(zip(TOPIC_KEYS, per_topic[owners == n].amax(0).tolist(), strict=True))
            for n in range(len(texts))
        ]

    def embed(self, texts: list[str], batch_size: int = 32) -> Any:
        """Unit-length embeddings of whole texts (numpy, n x 384), for comment insights
        (mlcore.sentiment.insights): the same base encoder, up to EMBED_MAX_LENGTH tokens a text."""
        with self._lock:
            return self._embed(texts, batch_size, max_length=EMBED_MAX_LENGTH).numpy()

    def tag(self, texts: list[str], batch_size: int = 64) -> list[list[str]]:
        """Topic keys per text: similarity >= threshold, best first, at most max_topics."""
        found = []
        for row in self.scores(texts, batch_size):
            ranked = sorted(row.items(), key=lambda kv: -kv[1])
            found.append([k for k, s in ranked[: self.max_topics] if s >= self.threshold])
        return found


@lru_cache(maxsize=1)
def get_tagger() -> TopicTagger:
    """One tagger per process (it holds a copy of the base encoder, ~90 MB)."""
    return TopicTagger()


def topic_label(key: str) -> str:
    """The human name of a topic key, e.g. "pay_benefits" -> "Pay and benefits"."""
    for topic in TOPICS:
        if topic.key == key:
            return topic.label
    raise KeyError(f"unknown topic {key!r}")
