"""`venue-hire serve`: run the web service."""

from __future__ import annotations

import argparse
from typing import Any

from api.cli.support import Subcommands
from api.settings import get_settings


def serve(args: argparse.Namespace) -> int:
    # Only this command needs the server; every other command would pay for importing it.
    import uvicorn

    settings = get_settings()
    base = f"http://{args.host}:{args.port}"
    print(f"Venue hire is serving on {base}")
    print(f"  health:         {base}/health   readiness: {base}/ready")
    print(f"  API docs:       {base}/schema")
    print(f"  booking form:   {base}/book")
    print(f"  officer login:  {base}/login")
    print(f"  database:       {settings.database_url.split('@')[-1]}")
    print("Press Ctrl+C to stop.", flush=True)
    # On SIGTERM uvicorn stops accepting, lets requests in flight finish (up to the grace period),
    # then runs the app's shutdown hooks: /ready turns 503 and the outbox makes its last pass.
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "timeout_graceful_shutdown": args.grace,
        "proxy_headers": True,
        "forwarded_allow_ips": args.forwarded_allow_ips,
        "log_level": "warning",
    }
    if args.workers > 1:
        # Forked from one process that has imported the app and loaded the screening index, so
        # the workers share that memory (api/cli/prefork.py), rather than uvicorn's spawned workers.
        from api.app import create_app
        from api.cli.prefork import serve_forked
        from api.cli.prefork_dispatch import HandedConnectionsServer

        def make_server(app: Any) -> HandedConnectionsServer:
            return HandedConnectionsServer(uvicorn.Config(app, **options))

        return serve_forked(args.workers, make_server, create_app, args.host, args.port)
    uvicorn.run("api.app:create_app", factory=True, **options)
    return 0


def register(sub: Subcommands) -> None:
    parser = sub.add_parser("serve", help="run the web service")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes (default 1); more than one are forked from a parent that has"
        " loaded the app and the screening index, so they share that memory",
    )
    parser.add_argument(
        "--grace", type=int, default=30, help="seconds requests in flight get to finish (default 30)"
    )
    parser.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="addresses of the load balancers whose X-Forwarded-* headers are trusted",
    )
    parser.set_defaults(handler=serve)
