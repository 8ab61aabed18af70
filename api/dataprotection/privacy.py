"""The privacy notice (UK GDPR arts. 13-14), built from the policy actually in force.

The checks, the lists consulted and the retention periods are read from the default policy,
so the notice cannot drift from what the service does. It is a small self-contained page (the
page templates belong to the web pages), with no scripts.
"""

from __future__ import annotations

import html

from policies import Policy, bundled_policy

CHECK_TEXT: dict[str, str] = {
    "declarations": "that you have accepted the declarations in the booking form",
    "required_answers": "that the questions the form asks have been answered",
    "registry_numbers": "charity and company numbers, against the public registers where available",
    "screening": "the names of the organisation and the people on the request, against the lists below",
    "capacity": "that the expected attendance fits the room",
    "safeguarding": "safeguarding arrangements when children or adults at risk attend",
    "insurance": "public liability insurance",
    "notice_period": "how much notice the request gives",
    "booking_history": "recorded breaches of the conditions of hire on earlier bookings",
    "clearance_reuse": "whether the organisation was checked recently, so checks are not repeated",
}

SOURCE_TEXT: dict[str, str] = {
    "uk-sanctions": "the UK Sanctions List published by the Foreign, Commonwealth and Development Office",
    "ofac-sdn": "the Specially Designated Nationals list of the US Treasury (OFAC)",
    "proscribed": "the list of proscribed terrorist groups or organisations published by the Home Office",
    "local": "the council's own list of organisations and people, each entry with its source and reason",
}


def _years(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} months"


def privacy_notice_html(council_name: str, policy: Policy | None = None) -> str:
    policy = policy or bundled_policy("council-default")
    e = html.escape
    checks = [c.type for c in policy.checks]
    sources = list(policy.screening.sources)
    r = policy.retention
    items_checks = "".join(f"<li>{e(CHECK_TEXT.get(c, c.replace('_', ' ')))}</li>" for c in checks)
    items_sources = "".join(f"<li>{e(SOURCE_TEXT.get(s, s))}</li>" for s in sources)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Privacy notice: venue hire</title>
<style>body{{font-family:sans-serif;max-width:46em;margin:2em auto;padding:0 1em;line-height:1.5}}</style>
</head><body>
<h1>Privacy notice: booking a council venue</h1>
<p>{e(council_name)} is the controller of the information you give when you ask to hire a room.
We use it to decide on your request, to run the booking, and to meet our duties as owners of
public venues, including the Prevent duty (Counter-Terrorism and Security Act 2015, section 26).
Our lawful basis is the performance of a public task (UK GDPR article 6(1)(e)).</p>
<h2>What we check</h2>
<p>Under the policy "{e(policy.title)}" (version {policy.version}) we check:</p>
<ul>{items_checks}</ul>
<h2>The lists we consult</h2>
<p>Names are compared with:</p>
<ul>{items_sources}</ul>
<p>A possible match is never decided by a computer: an officer looks at it and records why it is
or is not the same organisation or person. Information about criminal offences is handled
under the Data Protection Act 2018, schedule 1, part 2 (substantial public interest). We do
not ask about or take into account religion, ethnicity, nationality or political opinion.</p>
<h2>How long we keep it</h2>
<ul>
<li>Booking records: {_years(r.booking_records)} after the hire.</li>
<li>Checks with no adverse finding (the people named, answers, check details):
{_years(r.due_diligence_no_adverse)} after the event.</li>
<li>Refusals and appeals: {_years(r.refusals_and_appeals)} after the decision.</li>
<li>Screening matches an officer found not to be you:
{_years(r.cleared_screening_matches)} after that finding.</li>
</ul>
<h2>Your rights</h2>
<p>You can ask for a copy of the information we hold about you or your organisation, ask us to
correct it, object to its use, or ask us to delete it where the law allows. You can complain to
the Information Commissioner's Office (ico.org.uk). Decisions on requests can be appealed
through your status page.</p>
</body></html>
"""
