"""Import cycles among the project's modules: prints each cycle, exits 1 if any.

`python bench/import_cycles.py` builds the import graph with grimp (installed
with import-linter), every import counted, function-local and type-only ones
included, and lists the strongly connected groups of modules.
"""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

# The project's packages, wherever the script is started from.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PACKAGES = ("vtcbot", "bot", "admin", "texts", "services", "storage", "domain", "emulator")


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Groups of two or more modules that import each other, directly or not."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in order:
            continue
        # Tarjan's algorithm, iteratively (no recursion limit on deep graphs).
        work: list[tuple[str, list[str]]] = []
        order[root] = low[root] = len(order)
        stack.append(root)
        on_stack.add(root)
        work.append((root, sorted(graph.find_modules_directly_imported_by(root))))
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in order:
                    order[nxt] = low[nxt] = len(order)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.find_modules_directly_imported_by(nxt))))
                elif nxt in on_stack:
                    low[node] = min(low[node], order[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == order[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def main() -> int:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    found = cycles(graph)
    for group in found:
        print(f"cycle of {len(group)} modules: {', '.join(group)}")
    print(f"{len(graph.modules)} modules, {len(found)} import cycles")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
