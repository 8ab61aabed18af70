"""`venue-hire serve`: run the web service."""

from __future__ import annotations

import argparse

from api.cli.support import Subcommands
from api.settings import get_settings


def serve(args: argparse.Namespace) -> int:
    # Only this command needs the server; every other command would pay for importing it.
    import uvicorn

    settings = get_settings()
    base = f"http://{args.host}:{args.port}"
    print(f"Venue hire is serving on {base}")
    print(f"  health:         {base}/health")
    print(f"  API docs:       {base}/schema")
    print(f"  booking form:   {base}/book")
    print(f"  officer login:  {base}/login")
    print(f"  database:       {settings.database_url.split('@')[-1]}")
    print("Press Ctrl+C to stop.")
    uvicorn.run("api.app:create_app", factory=True, host=args.host, port=args.port, log_level="warning")
    return 0


def register(sub: Subcommands) -> None:
    parser = sub.add_parser("serve", help="run the web service")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.set_defaults(handler=serve)
