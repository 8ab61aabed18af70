"""Append-only, hash-chained audit log of who viewed or changed a case or the flagged list.

Each `AuditRecord` stores the hash of the record before it and a SHA-256 over its own fields
and that previous hash, so changing, deleting or reordering any record breaks the chain from
that record on; `venue-hire audit verify` recomputes it and names the first broken record.
Records say *who* (role and user id, never a name or email), *what* (action and object type)
and *which* (an internal id): never personal data, passwords or tokens. Cutting records off the
end leaves a valid chain, so the verify command prints the head hash for operators to note
elsewhere (a ticket, a log shipped off the machine) and compare later.

One chain per organisation. Each council or partner (the record's `provider_id`; the service's
own records have none) has its own chain: a record's previous hash is that of the organisation's
record before it, and appenders take a lock for that organisation only. With one chain for the
whole service every case view took the same lock, so all views of all organisations queued
behind each other on PostgreSQL; now they queue only behind their own organisation's (the lock is
held from the append, just before the commit, to the commit). What the chain proves is unchanged
per organisation: no record of it changed, removed or put out of order. Records written before
(one chain for the service) hash without the chain mark and are checked as that one chain; the
first record of an organisation after them follows on from its last one. The head printed by
`audit verify` is a digest of every chain's head, so cutting records off any chain's end shows.

API routes are audited by a before-send hook: a 2xx answer from an operation listed in
`AUDITED_OPERATIONS` (or a handler with `opt["audit"] = (object_type, action, path_param)`)
appends a record inside the request's own transaction, just before the database plugin
commits it. A failed request (4xx, 5xx) changes nothing and records nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import AuditRecord
from vetting.actors import Actor
from vetting.tenancy import ALL_PROVIDERS, current_scope

GENESIS_HASH = "0" * 64
# Any fixed number: PostgreSQL's transaction-scoped advisory lock (this key and one per
# organisation) serialises one organisation's appenders so two transactions cannot both chain
# onto the same previous record. SQLite's BEGIN IMMEDIATE (api.db.engine) already serialises writers.
_PG_ADVISORY_LOCK_KEY = 80_241_177
# Sealed into each record of the per-organisation chains; records without it are the older,
# service-wide chain.
CHAIN_MARK = "chain:organisation"

# operation id -> (object type, action, path parameter holding the object's id or None)
AUDITED_OPERATIONS: dict[str, tuple[str, str, str | None]] = {
    "listApplications": ("case_list", "view", None),
    "getApplication": ("case", "view", "case_id"),
    "decideApplication": ("case", "decide", "case_id"),
    "recordCheckOutcome": ("case", "record_check_outcome", "case_id"),
    "countersignRefusal": ("case", "countersign", "case_id"),
    "resolveOrganisationLink": ("case", "resolve_organisation_link", "case_id"),
    "cancelBooking": ("case", "cancel", "case_id"),
    "decideAppeal": ("case", "decide_appeal", "case_id"),
    "cancelOccurrence": ("case", "cancel_occurrence", "case_id"),
    "moveOccurrence": ("case", "move_occurrence", "case_id"),
    "cancelRestOfSeries": ("case", "cancel_rest_of_series", "case_id"),
    "askDatesOfBirth": ("case", "ask_dates_of_birth", "case_id"),
    "refundPayment": ("case", "refund_payment", "case_id"),
    "refreshRefunds": ("case", "refresh_refunds", "case_id"),
    "applicantStatus": ("case", "view", "token"),
    "acceptConditions": ("case", "accept_conditions", "token"),
    "withdrawApplication": ("case", "withdraw", "token"),
    "provideInformation": ("case", "provide_information", "token"),
    "appealRefusal": ("case", "appeal", "token"),
    "listFlaggedEntries": ("flagged_list", "view", None),
    "addFlaggedEntry": ("flagged_list", "add_entry", None),
    "deactivateFlaggedEntry": ("flagged_entry", "deactivate", "entry_id"),
    "importFlaggedEntries": ("flagged_list", "import", None),
    "screenNames": ("flagged_list", "screen_names", None),
    "disposeScreeningMatch": ("screening_match", "dispose", "match_id"),
    "subjectAccessExport": ("subject_access", "export", None),
    "listCaseDocuments": ("case", "list_documents", "case_id"),
    "downloadCaseDocument": ("document", "download", "document_id"),
    "reviewCaseDocument": ("document", "review", "document_id"),
    "subjectAccessArchive": ("subject_access", "export_archive", None),
    "rectifyOrganisation": ("organisation", "rectify", "organisation_id"),
    "rectifyContact": ("case", "rectify_contact", "case_id"),
    "assignApplication": ("case", "assign", "case_id"),
}


def actor_label(actor: Actor | None) -> str:
    """Role and user id only: the audit log must not hold names or email addresses."""
    if actor is None:
        return "anonymous"
    if actor.id is None:
        return actor.role
    return f"{actor.role}:{actor.id}"


def _normalise(at: dt.datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def record_hash(
    prev_hash: str,
    at: dt.datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    detail: str | None,
    provider_id: UUID | None = None,
    *,
    per_organisation: bool = False,
) -> str:
    fields: list[str] = [prev_hash, _normalise(at), actor, action, object_type, object_id, detail or ""]
    # Whose record it is is sealed too; records from before organisations hash as they did.
    if provider_id is not None:
        fields.append(str(provider_id))
    if per_organisation:
        fields.append(CHAIN_MARK)
    payload = json.dumps(
        fields,
        ensure_ascii=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _chain_lock_key(provider_id: UUID | None) -> int:
    # A 32-bit key from the whole id (the service's chain is 0); two organisations whose ids give
    # the same key share a lock: they wait for each other, nothing breaks.
    return 0 if provider_id is None else provider_id.int % 2_147_483_647 + 1


async def _lock_chain(session: AsyncSession, provider_id: UUID | None) -> None:
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(:key, :chain)"),
            {"key": _PG_ADVISORY_LOCK_KEY, "chain": _chain_lock_key(provider_id)},
        )


async def append(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str = "",
    detail: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
    provider_id: UUID | None = None,
) -> AuditRecord:
    """Append one record to the chain, in the caller's transaction.

    The record belongs to `provider_id`, or else to the one organisation the session is scoped
    to; records of neither are the service's own (read by service administrators only).
    """
    if provider_id is None:
        scope = current_scope(session)
        if scope is not None and scope.providers is not None and len(scope.providers) == 1:
            (provider_id,) = scope.providers
    await _lock_chain(session, provider_id)
    # The organisation's chain: its last record, read from ix_audit_record_provider_chain.
    head = (
        select(AuditRecord.hash)
        .where(
            AuditRecord.provider_id.is_(None)
            if provider_id is None
            else AuditRecord.provider_id == provider_id
        )
        .order_by(AuditRecord.id.desc())
        .limit(1)
    )
    prev = (
        await session.execute(head.execution_options(**{ALL_PROVIDERS: True}))
    ).scalar_one_or_none() or GENESIS_HASH
    at = at or dt.datetime.now(dt.UTC)
    detail_text = json.dumps(detail, sort_keys=True, separators=(",", ":")) if detail else None
    record = AuditRecord(
        at=at,
        actor=actor[:200],
        action=action[:60],
        object_type=object_type[:40],
        object_id=object_id[:80],
        prev_hash=prev,
        hash=record_hash(
            prev,
            at,
            actor[:200],
            action[:60],
            object_type[:40],
            object_id[:80],
            detail_text,
            provider_id,
            per_organisation=True,
        ),
        detail=detail_text,
        provider_id=provider_id,
    )
    session.add(record)
    await session.flush()
    return record


@dataclass(frozen=True)
class ChainCheck:
    checked: int
    head_hash: str
    broken_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


async def verify_chain(session: AsyncSession, *, batch: int = 1000) -> ChainCheck:
    """Recompute every record's hash in id order; stop at the first that does not fit.

    A record of an organisation's chain must follow that organisation's record before it; a
    record of the older service-wide chain must follow the record before it."""
    last = GENESIS_HASH  # the service-wide chain's last record
    heads: dict[UUID | None, str] = {}  # each organisation's last record, of either kind
    per_organisation = False
    checked = 0
    last_id = -1
    while True:
        # Plain rows, not AuditRecord objects: building and expunging an object per record was
        # nine tenths of the time verify took (bench/retention_scale.py).
        rows = (
            await session.execute(
                select(
                    AuditRecord.id,
                    AuditRecord.at,
                    AuditRecord.actor,
                    AuditRecord.action,
                    AuditRecord.object_type,
                    AuditRecord.object_id,
                    AuditRecord.detail,
                    AuditRecord.provider_id,
                    AuditRecord.prev_hash,
                    AuditRecord.hash,
                )
                .where(AuditRecord.id > last_id)
                .order_by(AuditRecord.id)
                .limit(batch)
                # The chain is checked whole: only hashes and positions are reported.
                .execution_options(**{ALL_PROVIDERS: True})
            )
        ).all()
        if not rows:
            return ChainCheck(checked=checked, head_hash=_head_digest(heads) if per_organisation else last)
        for record_id, *fields, provider_id, prev_hash, hash_ in rows:
            own = heads.get(provider_id, GENESIS_HASH)
            sealed = (*fields, provider_id)
            if prev_hash == own and hash_ == record_hash(own, *sealed, per_organisation=True):
                per_organisation = True
            elif prev_hash == last and not per_organisation:
                if hash_ != record_hash(last, *sealed):
                    return ChainCheck(checked, last, record_id, "its contents do not match its hash")
            elif prev_hash in (own, last):
                return ChainCheck(checked, own, record_id, "its contents do not match its hash")
            else:
                return ChainCheck(
                    checked,
                    own,
                    record_id,
                    "its previous-hash does not match the record before it in its chain",
                )
            heads[provider_id] = last = hash_
            checked += 1
            last_id = record_id


def _head_digest(heads: dict[UUID | None, str]) -> str:
    """One hash naming every chain's head, for operators to note and compare later."""
    lines = sorted(f"{provider or 'service'}:{head}" for provider, head in heads.items())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


# ---------------------------------------------------------------- the API hook


def audit_spec(handler: Any) -> tuple[str, str, str | None] | None:
    spec = handler.opt.get("audit")
    if spec is not None:
        object_type, action, param = spec
        return str(object_type), str(action), param
    operation_id = getattr(handler, "operation_id", None)
    if isinstance(operation_id, str):
        return AUDITED_OPERATIONS.get(operation_id)
    return None


async def _object_id(session: AsyncSession, scope: Any, param: str | None) -> str:
    if param is None:
        return ""
    value = scope.get("path_params", {}).get(param)
    if value is None:
        return ""
    if param == "token":
        # The token is the hirer's credential: record the case it opens, never the token.
        from vetting.status_links import case_id_for_token

        case_id = await case_id_for_token(session, str(value))
        return str(case_id) if case_id else ""
    return str(value)


async def audit_before_send(message: Any, scope: Any) -> None:
    if message["type"] != "http.response.start" or scope.get("type") != "http":
        return
    status = int(message.get("status", 500))
    # Pages answer a successful form post with a redirect; errors are 4xx and are not recorded.
    if not 200 <= status < 400:
        return
    handler = scope.get("route_handler")
    if handler is None:
        return
    spec = audit_spec(handler)
    if spec is None:
        return
    object_type, action, param = spec
    app = scope["app"]
    config = app.state.db_config
    session: AsyncSession = config.provide_session(app.state, scope)
    actor: Actor | None = scope.get("state", {}).get("actor")
    await append(
        session,
        actor=actor_label(actor) if actor is not None else ("hirer" if param == "token" else "anonymous"),
        action=action,
        object_type=object_type,
        object_id=await _object_id(session, scope, param),
        detail={"method": scope.get("method"), "status": status},
    )
