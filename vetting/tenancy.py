"""Which council's or partner's data a session may read: one mechanism for every query.

A session whose ``info`` carries a `Scope` has every ORM statement (SELECT, UPDATE, DELETE)
narrowed by the criteria each scoped model registered with `scoped_by`, joins and subqueries
included. Handlers and use cases do not filter by organisation themselves, so a new route cannot
forget to: the request's session is scoped from the signed-in user before any handler runs
(api/deps.py), and submission scopes itself to the venue's owner before it screens.

A session without a scope (the CLI, background jobs, a hirer's token-checked status page) sees
everything; so does a service administrator. Code that must read across organisations on
purpose (a partner's shared finding, the lead council's counts) says so with the execution
option ``ALL_PROVIDERS`` and is audited there.
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, FromClause, Table, event, exists
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.util import LoaderCriteriaOption
from sqlalchemy.sql.base import Executable, ExecutableOption, Generative
from sqlalchemy.sql.cache_key import NO_CACHE
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.visitors import anon_map

SCOPE_KEY = "provider_scope"
ALL_PROVIDERS = "all_providers"
"""Execution option: this statement reads across organisations on purpose (see module docstring)."""

Criteria = Callable[["Scope"], ColumnElement[bool]]
_RULES: dict[type[Any], Criteria] = {}


@dataclass(frozen=True)
class Scope:
    """The organisations whose data may be read: `providers` None means all of them.

    `shared_flagged` names the partners whose own flagged-list additions are shared with these
    organisations under a sharing agreement in force (vetting/providers.py).
    """

    providers: frozenset[UUID] | None
    shared_flagged: frozenset[UUID] = frozenset()

    @property
    def ids(self) -> tuple[UUID, ...]:
        """The organisations as a sorted tuple, for ``IN`` criteria (empty when unrestricted)."""
        return tuple(sorted(self.providers or ()))

    @classmethod
    def of(cls, provider_id: UUID) -> Scope:
        return cls(frozenset({provider_id}))

    @property
    def unrestricted(self) -> bool:
        return self.providers is None

    def sees(self, provider_id: UUID | None) -> bool:
        return self.providers is None or provider_id in self.providers


EVERYTHING = Scope(None)


def plain(model: type[Any]) -> Table:
    """The model's table without the ORM entity, for the subqueries inside criteria.

    A subquery over the ORM entity (``select(Venue.id)``) is itself narrowed by every scoped
    model's criteria, so the same organisation test nests three or four levels deep in each
    statement; PostgreSQL spent more time planning a feed's four statements than running them.
    The subqueries already test the organisation, so the plain table reads the same rows."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def scoped_by(model: type[Any], criteria: Criteria) -> None:
    """Register how rows of `model` are narrowed to what a restricted `Scope` may read."""
    _RULES[model] = criteria


def owned_through(
    key: Any, owner_key: Any, provider: Any, scope: Scope, owners: FromClause | None = None
) -> ColumnElement[bool]:
    """Rows whose owning case or booking (``key``, a column of theirs, equal to ``owner_key``)
    belongs to the scope (``provider`` among its ids), as a correlated EXISTS that looks up each
    row's owner by its key. ``key IN (every owner of the scope)`` had SQLite gather every case or
    booking of the council for each statement (a case page took 1.4 s at ten years of data,
    bench/scale.py). The owner's tables (``owners``, when several) must be aliases of their own,
    so that a statement reading those tables too does not correlate the lookup away."""
    found = exists() if owners is None else exists().select_from(owners)
    return found.where(owner_key == key, provider.in_(scope.ids))


def scoped_models() -> tuple[type[Any], ...]:
    return tuple(_RULES)


def set_scope(session: AsyncSession | Session, scope: Scope | None) -> None:
    if scope is None:
        session.info.pop(SCOPE_KEY, None)
    else:
        session.info[SCOPE_KEY] = scope


def current_scope(session: AsyncSession | Session) -> Scope | None:
    scope: Scope | None = session.info.get(SCOPE_KEY)
    return scope


@contextmanager
def scoped(session: AsyncSession | Session, scope: Scope | None) -> Iterator[None]:
    """Run a block under `scope`, then restore whatever scope the session had."""
    before = current_scope(session)
    set_scope(session, scope)
    try:
        yield
    finally:
        set_scope(session, before)


def _apply_scope(state: ORMExecuteState) -> None:
    scope: Scope | None = state.session.info.get(SCOPE_KEY)
    if scope is None or scope.providers is None:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    # Relationship and column loads carry the criteria of the statement that loaded the parent.
    if state.is_column_load or state.is_relationship_load:
        return
    if state.execution_options.get(ALL_PROVIDERS, False):
        return
    state.statement = _scoped_statement(state.statement, scope)


_SCOPED_KEEP = 256
_scoped_statements: dict[int, tuple[Executable, Scope, Any]] = {}
# Sessions in threads (the CLI's, the screening builder's) share the memo with the event loop's.
_scoped_lock = threading.Lock()


def _scoped_statement(statement: Executable, scope: Scope) -> Any:
    """`statement` with the scope's criteria options, the same object each time for the same
    statement and scope.

    SQLAlchemy works out a statement's cache key on each execution unless the statement object
    has done so before (it keeps the key on the object); adding the options made a new object
    every time, so the statements built once at import (most of a booking request's) had their
    whole key walked again on every request. Statements and scopes never change once built, so
    the scoped statement made for one pair is the one to reuse. Keyed by identity (a statement's
    ``==`` may build SQL), with the statement kept alive beside its entry so the id stays its own;
    statements built per call only pass through the newest entries."""
    if not isinstance(statement, Generative):
        return statement.options(*_options_for(scope, len(_RULES)))
    with _scoped_lock:
        found = _scoped_statements.pop(id(statement), None)
        if found is None or found[0] is not statement or found[1] != scope:
            # What `Executable.options` does, without coercing options that are options already.
            scoped_statement = statement._generate()
            scoped_statement._with_options += _options_for(scope, len(_RULES))
            found = (statement, scope, scoped_statement)
            if len(_scoped_statements) >= _SCOPED_KEEP:
                del _scoped_statements[next(iter(_scoped_statements))]
        # Least recently used first: statements built once stay while per-call ones pass through.
        _scoped_statements[id(statement)] = found
    return found[2]


class _ScopeCriteria(LoaderCriteriaOption):
    """``with_loader_criteria(model, criteria, include_aliases=True)`` whose cache key is worked
    out once, when the option is built.

    SQLAlchemy finds a statement's compiled form by a cache key it builds on every execution, and
    that key takes in every option's criteria, subqueries included: for the thirty-odd options of
    a scope this walk was about a quarter of a booking POST's CPU (py-spy, bench/loadtest.py).
    The option never changes after it is built, so its part of the key and the bound parameters
    it contributes (the scope's ids, in traversal order) are the same each time; they are
    computed once with SQLAlchemy's own traversal and handed back as they are. The criteria the
    statement gets, and so what a scope may read, are unchanged."""

    __slots__ = ("_binds", "_key")
    # The key is LoaderCriteriaOption's own, only computed ahead of time.
    inherit_cache = True
    _cache_key_traversal = LoaderCriteriaOption._traverse_internals

    def __init__(self, model: type[Any], criteria: ColumnElement[bool]) -> None:
        super().__init__(model, criteria, include_aliases=True)
        binds: list[BindParameter[Any]] = []
        names = anon_map()
        key = super()._gen_cache_key(names, binds)
        # An option SQLAlchemy cannot cache (it marks the map) keeps the ordinary path.
        self._key = None if names.get(NO_CACHE) else _compact_key(key)
        self._binds = tuple(binds)

    def _gen_cache_key(self, anon_map: Any, bindparams: list[BindParameter[Any]]) -> Any:
        if self._key is None:
            return super()._gen_cache_key(anon_map, bindparams)
        bindparams.extend(self._binds)
        return self._key


_compact_keys: dict[Any, tuple[str, int]] = {}
_COMPACT_KEEP = 4096
_compact_numbers = itertools.count()


def _compact_key(key: Any) -> tuple[str, int]:
    """A small stand-in for an option's cache key: the same stand-in for equal keys, a different
    one for different keys, so the compiled form SQLAlchemy finds by it is the same as before.

    SQLAlchemy hashes a statement's whole cache key on every execution to find its compiled form
    (`LRUCache.get`: a tuple's hash is never kept), and the thirty-odd options' criteria were
    nine tenths of each key's 3,000 elements: about 19 us a statement, 4% of a booking POST
    (py-spy). The scope's ids are bound values (an expanding ``IN``), so every scope's criteria
    have the same keys: one stand-in per scoped model, whatever the scope."""
    found = _compact_keys.get(key)
    if found is None:
        if len(_compact_keys) >= _COMPACT_KEEP:
            # Criteria that wrote a scope's ids into the SQL would make a key per scope; numbers
            # are never reused, so a key met again after this gets a new stand-in, never another's.
            _compact_keys.clear()
        found = _compact_keys.setdefault(key, ("scope criteria", next(_compact_numbers)))
    return found


@functools.lru_cache(maxsize=256)
def _options_for(scope: Scope, rules: int) -> tuple[ExecutableOption, ...]:
    """The criteria options of one scope, built once: building them (a dozen expressions with
    subqueries) for every statement cost a booking request about a third of its time. `rules`
    keys the cache on how many models have registered, so a late registration is not missed."""
    del rules
    return tuple(_ScopeCriteria(model, criteria(scope)) for model, criteria in _RULES.items())


event.listen(Session, "do_orm_execute", _apply_scope)
