"""No import cycles among the project's modules, hidden or not.

An import inside a function hides a cycle from Python at start-up but not from the design: the two
modules still need each other. grimp (import-linter's graph) sees every import, wherever it is
written, so a cycle brought back that way fails here, naming the modules on it. Imports under
`if TYPE_CHECKING:` are left out: they name a type for an annotation and never run, and two
modules whose data refer to each other (a policy and its Welsh texts) need them.
"""

from __future__ import annotations

import grimp

PACKAGES = ("api", "casework", "venues", "vetting", "policies")


def strongly_connected(graph: grimp.ImportGraph) -> list[set[str]]:
    """Groups of two or more modules that all reach one another (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.find_modules_directly_imported_by(target)))))
                    break
                if target in on_stack:
                    low[module] = min(low[module], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        found.append(group)
    return found


def describe(graph: grimp.ImportGraph, group: set[str]) -> str:
    first = min(group)
    back = min(m for m in group if graph.direct_import_exists(importer=first, imported=m))
    chain = graph.find_shortest_chain(importer=back, imported=first) or ()
    return " -> ".join((first, *chain))


def test_the_project_has_no_import_cycles() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None, exclude_type_checking_imports=True)
    cycles = [describe(graph, group) for group in strongly_connected(graph)]
    assert cycles == []


def test_the_check_finds_a_cycle_hidden_in_a_function() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    # As `api.auth.actor` once imported `api.web.sessions` inside a function, and the other way round.
    graph.add_import(importer="api.web.sessions", imported="api.auth.actor")
    cycles = strongly_connected(graph)
    assert any({"api.web.sessions", "api.auth.actor"} <= group for group in cycles)
    assert "api.auth.actor -> api.web.sessions -> api.auth.actor" in [
        describe(graph, group) for group in cycles
    ]
