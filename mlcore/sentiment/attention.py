"""'Needs attention': comments about harassment, discrimination, safety or self-harm, for HR.

Transparent on purpose: a comment is flagged when it contains one of the curated phrases
below, unless a negation ("no", "not", "never", "n't", "without", "nobody", "free of") sits
within NEGATION_WINDOW words before the phrase in the same clause, so "I have never been
harassed" and "no safety issues" are not flagged. Anyone can read why a comment was flagged
(`matches`) and add a phrase. A flag is a prompt to read the comment, not a judgement; it
errs towards flagging (a missed self-harm comment costs more than a false alarm).

Measured on bench/data/attention_eval.jsonl (hand-written, labelled; python -m
bench.attention_eval); figures in docs/sentiment.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CATEGORIES = ("harassment", "discrimination", "safety", "self_harm")
CATEGORY_LABELS = {
    "harassment": "Harassment or bullying",
    "discrimination": "Discrimination",
    "safety": "Health and safety",
    "self_harm": "Self-harm or crisis",
}
NEGATION_WINDOW = 3  # words before a phrase in which a negation cancels it

_PHRASES: dict[str, tuple[str, ...]] = {
    "harassment": (
        r"harass\w*",
        r"bull(?:y|ies|ied|ying)",
        r"intimidat\w*",
        r"sexual(?:ly)? (?:comments?|jokes?|advances?|remarks?|harass\w*|assault\w*)",
        r"inappropriate(?:ly)? (?:touch\w*|comments?|jokes?|messages?|remarks?)",
        r"touch(?:es|ed|ing)? me",
        r"unwanted (?:advances?|touch\w*|comments?|attention|messages?)",
        r"grop\w*",
        r"threaten\w*",
        r"(?:yell|scream|shout|swear)(?:s|ed|ing)? at (?:me|us|people|staff|the team|her|him)",
        r"humiliat\w*",
        r"belittl\w*",
        r"stalk\w*",
        r"abusive",
        r"verbal(?:ly)? abus\w*",
        r"hostile work environment",
    ),
    "discrimination": (
        r"discriminat\w*",
        r"racis[mt]\w*",
        r"sexis[mt]\w*",
        r"homophob\w*",
        r"transphob\w*",
        r"ageis[mt]\w*",
        r"misogyn\w*",
        r"(?:racial|ethnic|homophobic) slurs?",
        r"slurs?",
        r"because (?:i am|i'm|she is|she's|he is|he's|they are|they're|we are|we're) "
        r"(?:a )?(?:woman|women|female|black|gay|lesbian|trans|old|older|too old|young|"
        r"pregnant|disabled|muslim|jewish|foreign|immigrants?|a mother|a minority)",
        r"because of (?:my|her|his|their) (?:race|gender|sex|age|religion|disability|"
        r"pregnancy|accent|skin colou?r|nationality|ethnicity|sexual orientation)",
        r"(?:only|never) promotes? (?:men|women|white people|young people|their friends)",
        r"treated differently because",
        r"passed over (?:for \w+ )?because",
    ),
    "safety": (
        r"unsafe",
        r"not safe",
        r"dangerous",
        r"hazard\w*",
        r"safety (?:issues?|hazards?|violations?|risks?|concerns?|problems?)",
        r"(?:fire|emergency) (?:exits?|doors?) (?:are |is )?(?:blocked|locked)",
        r"(?:blocked|locked) (?:fire|emergency) exits?",
        r"injur(?:y|ies|ed)",
        r"(?:got|get|was|were|been) hurt",
        r"accidents? (?:at work|on the (?:floor|site|line)|happen\w*)",
        r"near[- ]miss\w*",
        r"no (?:protective|safety) (?:equipment|gear|glasses|gloves|boots)",
        r"without (?:protective|safety) (?:equipment|gear)",
        r"exposed to (?:chemicals?|fumes|asbestos|toxic\w*)",
        r"toxic (?:fumes|chemicals?)",
        r"violen(?:ce|t)",
        r"assault\w*",
        r"weapons?",
        r"(?:broken|faulty) (?:machines?|machinery|equipment|wiring|ladders?|guards?)",
    ),
    "self_harm": (
        r"suicid\w*",
        r"kill(?:ing)? myself",
        r"end(?:ing)? (?:my life|it all)",
        r"self[- ]harm\w*",
        r"hurt(?:ing)? myself",
        r"(?:do not|don't|dont) want to (?:live|be alive|be here anymore|wake up)",
        r"no (?:reason|point) (?:to live|in living|in going on)",
        r"better off dead",
        r"can(?:'t|not) go on",
        r"want(?:ed)? to die",
        r"wish i (?:was|were) dead",
        r"(?:have|had) thoughts of (?:dying|death|ending)",
    ),
}
_COMPILED = {
    category: [re.compile(rf"\b{p}\b", re.IGNORECASE) for p in phrases]
    for category, phrases in _PHRASES.items()
}
_NEGATIONS = re.compile(
    r"^(?:no|not|never|without|nobody|none|nothing|zero|free|neither|nor|\w+n't|cannot)$",
    re.IGNORECASE,
)
# Negations count only inside the phrase's clause: "no raise, and I was harassed" is flagged.
_CLAUSE_BREAK = re.compile(r"[.!?;,:\n]|\b(?:but|and|although|however|though|yet)\b", re.I)
_WORD = re.compile(r"[\w']+")


@dataclass(frozen=True)
class Flag:
    category: str
    phrase: str  # the words that matched, as written


def _negated(text: str, start: int) -> bool:
    before = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    words = _WORD.findall(clause)[-NEGATION_WINDOW:]
    return any(_NEGATIONS.match(w.replace("’", "'")) for w in words)


def matches(text: str) -> list[Flag]:
    """Every category the text raises, with the first phrase that raised it (in
    CATEGORIES order); negated phrases are skipped."""
    text = text.replace("’", "'")
    found: list[Flag] = []
    for category in CATEGORIES:
        for pattern in _COMPILED[category]:
            hit = next((m for m in pattern.finditer(text) if not _negated(text, m.start())), None)
            if hit is not None:
                found.append(Flag(category=category, phrase=hit.group(0)))
                break
    return found


def attention_flags(text: str) -> list[str]:
    """The categories a comment raises (CATEGORIES order); [] for most comments."""
    return [flag.category for flag in matches(text)]
