"""`venue-hire` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from api.settings import get_settings

Handler = Callable[[argparse.Namespace], int]


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    print(f"Serving on http://{args.host}:{args.port}")
    print(f"  health:   http://{args.host}:{args.port}/health")
    print(f"  API docs: http://{args.host}:{args.port}/schema")
    print(f"  database: {settings.database_url.split('@')[-1]}")
    uvicorn.run("api.app:create_app", factory=True, host=args.host, port=args.port, log_level="warning")
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from api.migrate import upgrade

    upgrade(get_settings().database_url)
    print("Database is at the latest revision.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="venue-hire", description="Venue hire and premises vetting service."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = sub.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(handler=_serve)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="apply migrations up to the latest revision").set_defaults(
        handler=_db_upgrade
    )

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except CliError as exc:
        print(f"venue-hire: error: {exc}", file=sys.stderr)
        return 2


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""


if __name__ == "__main__":
    sys.exit(main())
