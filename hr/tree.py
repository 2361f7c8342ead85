"""The department tree in memory: one query, then parents, children and subtrees."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import Department


@dataclass
class DepartmentTree:
    names: dict[int, str]
    parent: dict[int, int | None]
    children: dict[int | None, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls) -> DepartmentTree:
        rows = list(Department.objects.order_by("name").values_list("id", "name", "parent_id"))
        tree = cls(names={pk: name for pk, name, _ in rows}, parent={pk: p for pk, _, p in rows})
        for pk, _, parent_id in rows:
            tree.children[parent_id].append(pk)
        return tree

    def subtree(self, roots: Iterable[int]) -> set[int]:
        """The departments given and every department under them."""
        found: set[int] = set()
        stack = [r for r in roots if r in self.names]
        while stack:
            node = stack.pop()
            if node not in found:
                found.add(node)
                stack.extend(self.children.get(node, []))
        return found

    def ancestors(self, node: int | None) -> list[int]:
        """From `node`'s parent up to its root."""
        out: list[int] = []
        current = self.parent.get(node) if node is not None else None
        while current is not None and current not in out:
            out.append(current)
            current = self.parent.get(current)
        return out

    def depth(self, node: int) -> int:
        return len(self.ancestors(node))

    def ordered(self) -> list[int]:
        """Every department, depth-first, children by name: the order of a tree picker."""
        out: list[int] = []

        def walk(parent: int | None) -> None:
            for child in self.children.get(parent, []):
                out.append(child)
                walk(child)

        walk(None)
        return out
