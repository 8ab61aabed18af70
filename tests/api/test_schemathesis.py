"""Property-based robustness: schemathesis drives every operation of the app's own OpenAPI schema.

Requests are generated from the schema and sent through the ASGI transport, as an admin, against
a database holding a venue, rooms, staff and a request; some path ids are swapped for real ones
so the handlers get past "not found". Every answer must be free of server errors and match the
schema. At least 1,000 cases run (positive and negative), counted in the one test.
"""

from __future__ import annotations

import asyncio
import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.app import create_app
from api.database import create_engine
from api.settings import Settings
from tests.factories import application_payload, bearer, next_weekday

EXAMPLES_PER_OPERATION = 40
MIN_TOTAL_CASES = 1000
ASGI_BASE = f"http://{asgi.HOST}"


async def _seed(url: str) -> dict[str, str]:
    from tests import factories as f
    from venues.application_input import ApplicationRequest
    from venues.applications import Workflow

    engine = create_engine(url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            venue = await f.make_venue(s, "Fuzztown Hall")
            room = await f.make_room(s, venue, "Fuzz Room", capacity=80)
            _, admin_token = await f.make_staff(s, "admin")
            submitted = await Workflow(s).submit(
                ApplicationRequest.model_validate(
                    application_payload(room.id, next_weekday(1, weeks_ahead=5))
                )
            )
            await s.commit()
            return {
                "venue_id": str(venue.id),
                "room_id": str(room.id),
                "case_id": str(submitted.case.id),
                "organisation_id": str(submitted.case.organisation_id),
                "token": str(submitted.applicant_token),
                "admin_token": admin_token,
            }
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def fuzz_target(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, dict[str, str]]]:
    directory = tmp_path_factory.mktemp("schemathesis")
    database = directory / "fuzz.sqlite3"
    shutil.copyfile(sqlite_template, database)
    url = f"sqlite+aiosqlite:///{database}"
    known = asyncio.run(_seed(url))
    app = create_app(
        Settings(
            database_url=url,
            secret_key="fuzz-secret-" + "f" * 40,
            environment="test",
            base_url=ASGI_BASE,
            outbox_dir=directory / "outbox",
        )
    )
    # The ASGI test client runs the app (and its lifespan) for the whole module.
    with asgi.get_client(app) as client:  # type: ignore[arg-type]  # Litestar is an ASGI app; its scope types are narrower
        yield client, known


def _raw_schema() -> dict[str, Any]:
    """The app's OpenAPI document; building it needs no database."""
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:", environment="development"))
    raw: dict[str, Any] = app.openapi_schema.to_schema()
    return raw


schema = schemathesis.openapi.from_dict(_raw_schema())


def _fuzz(
    operation: Any,
    mode: GenerationMode,
    examples: int,
    client: Any,
    known: dict[str, str],
    calls: dict[str, int],
) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        params = case.path_parameters or {}
        # Half of the cases aim at objects that exist, so handlers run past "not found".
        if params and zlib.crc32(repr(sorted(params.items())).encode()) % 2 == 0:
            for name in list(params):
                if name in known:
                    params[name] = known[name]
        calls[operation.label] = calls.get(operation.label, 0) + 1
        case.call_and_validate(
            session=client,
            base_url=ASGI_BASE,
            headers=bearer(known["admin_token"]),
            checks=[not_a_server_error, response_schema_conformance],
        )

    run()


def test_every_operation_survives_generated_requests(fuzz_target: tuple[Any, dict[str, str]]) -> None:
    """One test over all operations (so the case count is known under pytest-xdist too)."""
    client, known = fuzz_target
    calls: dict[str, int] = {}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]  # loaded schema
    for operation in operations:
        for mode, examples in (
            (GenerationMode.POSITIVE, EXAMPLES_PER_OPERATION),
            (GenerationMode.NEGATIVE, 10),
        ):
            try:
                _fuzz(operation, mode, examples, client, known, calls)
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing to get wrong in a request without inputs
            except Exception as exc:  # collect every operation's failure, not just the first
                failures.append(f"{operation.label} ({mode.value}): {str(exc)[:1500]}")
    assert failures == [], "\n\n".join(failures)
    assert {op.label for op in operations} <= set(calls)
    print(f"schemathesis: {sum(calls.values())} cases over {len(operations)} operations")
    assert sum(calls.values()) >= MIN_TOTAL_CASES, calls
