"""The life of a booking request (the case): submit, screen and check, decide, countersign,
request information, appeals, cancellations, re-screening, the officer queue, the read models the
API and pages show, and the messages the case sends.

One use case per module; the API routes, pages and CLI call these and nothing else for case work.
`casework.workflow.Workflow` is a small facade keeping the method names callers already use.
Layering: api -> casework -> venues -> vetting -> policies; no litestar here.
"""
