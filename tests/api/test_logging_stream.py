"""Log lines go to the standard error of the moment, not the one there when logging was set up."""

from __future__ import annotations

import io
import json
import sys

import pytest
import structlog

from api.logging_setup import configure_logging


def test_log_lines_follow_a_replaced_standard_error(monkeypatch: pytest.MonkeyPatch) -> None:
    configure_logging()
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    structlog.get_logger("venue_hire.test").info("first.line")
    first.close()  # as a test runner closes its capture
    monkeypatch.setattr(sys, "stderr", second)
    structlog.get_logger("venue_hire.test").info("second.line")
    assert json.loads(second.getvalue())["event"] == "second.line"
