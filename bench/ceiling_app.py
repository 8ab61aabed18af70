"""The framework's ceiling on this machine: a Litestar app that answers a constant.

The load test serves it with the same server, workers and load as the real app, so the real
app's figures can be read as a share of what Litestar itself can do here.

    uvicorn ceiling_app:app --app-dir bench
"""

from __future__ import annotations

from litestar import Litestar, get


@get("/", sync_to_thread=False)
def constant() -> dict[str, str]:
    return {"status": "ok"}


app = Litestar(route_handlers=[constant], debug=False)
