"""Synthetic job and resume texts for bench/api_load (no locust import: the model's bare
speed is timed in the main process on the same texts)."""

from __future__ import annotations

import random

SKILLS = ["Python", "Django", "PostgreSQL", "React", "Kubernetes", "AWS", "SQL", "Go", "Java"]
JOB_TEXT = (
    "Senior Backend Engineer. Build and run Django services on PostgreSQL; design REST APIs; "
    "own deployments on Kubernetes. Required skills: Python, Django, PostgreSQL, SQL."
)


def resume_text(n: int) -> str:
    rng = random.Random(n)
    skills = ", ".join(rng.sample(SKILLS, 4))
    years = rng.randint(1, 15)
    return (
        f"Software engineer with {years} years of experience. Skills: {skills}. "
        f"Built services handling {rng.randint(1, 90)} million requests a day; led a team of "
        f"{rng.randint(2, 9)} engineers; migrated a monolith to containers."
    )
