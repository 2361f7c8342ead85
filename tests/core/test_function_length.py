"""No function over 80 lines outside tests, benches and migrations (issue 16): a long function
is split into named steps. The few that are longer today are listed with their length, and
may only shrink; a new one fails here, as does a listed one that grew."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["config", "core", "audit", "recruiting", "hr", "mlcore", "privacy", "demo", "integrations"]
MAX_LINES = 80

# (file, function): its length when the limit came in. Split one, then take it off the list.
TOO_LONG_TODAY = {}


def function_lengths(source: str) -> dict[str, int]:
    """Each function's (and method's) lines, decorators and docstring included, by name."""
    lengths: dict[str, int] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - first + 1
            lengths[node.name] = max(length, lengths.get(node.name, 0))
    return lengths


def _long_functions() -> dict[tuple[str, str], int]:
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for name, length in function_lengths(path.read_text(encoding="utf-8")).items():
                if length > MAX_LINES:
                    found[(path.relative_to(ROOT).as_posix(), name)] = length
    return found


def test_the_length_rule_counts_a_long_function() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_LINES))
    assert function_lengths(f"def long():\n{body}")["long"] == MAX_LINES + 1
    assert function_lengths("@decorated\ndef short():\n    pass\n")["short"] == 3


def test_no_new_function_over_80_lines() -> None:
    found = _long_functions()
    new = {key: n for key, n in found.items() if key not in TOO_LONG_TODAY}
    assert not new, f"functions over {MAX_LINES} lines (split them): {new}"
    grown = {key: n for key, n in found.items() if n > TOO_LONG_TODAY.get(key, n)}
    assert not grown, f"listed long functions grew (split them instead): {grown}"
