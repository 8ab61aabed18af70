"""A hirer who lost their private link asks for a new one with the booking reference and the
contact email the request gave; a matching pair gets a fresh link by mail to that address.

The caller shows the same answer whether or not anything matched (no way to learn which
references exist, or whose they are); the hirer may also revoke every link but the one in use.
"""

from __future__ import annotations

import hmac
import re

from sqlalchemy import select

from casework import messages
from casework.deps import CaseDeps, case_by_token, utcnow
from vetting.actors import HIRER
from vetting.history import record
from vetting.models import VettingCase
from vetting.status_links import revoke_others
from vetting.tenancy import scoped

MAX_REFERENCE = 40
MAX_EMAIL = 320


def normal_reference(reference: str) -> str:
    """A reference as typed, without spaces and in capitals (as references are issued)."""
    return re.sub(r"\s+", "", reference or "").upper()[:MAX_REFERENCE]


def _same_email(stored: object, given: str) -> bool:
    # Compared case-insensitively (addresses are, in practice) and in constant time.
    a = str(stored or "").strip().lower().encode()
    b = (given or "").strip().lower().encode()
    return bool(a) and hmac.compare_digest(a, b)


async def recover_link(deps: CaseDeps, reference: str, email: str) -> bool:
    """Mail a fresh link when `reference` and `email` match a case; True when one was sent.

    The result is for tests and logs of counts only: what the hirer is shown must not depend on it.
    """
    # Whoever asks (even a signed-in member of staff) proves nothing but the pair: any case.
    with scoped(deps.session, None):
        case = (
            await deps.session.execute(
                select(VettingCase).where(VettingCase.reference == normal_reference(reference))
            )
        ).scalar_one_or_none()
        if case is None or not _same_email(case.contact.get("email"), email):
            return False
        await messages.mail_hirer(deps, case, messages.link_recovery(case.reference))
        await record(deps.session, case, HIRER, "status_link_sent", {})
        return True


async def revoke_other_links(deps: CaseDeps, token: str) -> int:
    """Stop every private link of the case but `token` (a forwarded email, a shared mailbox)."""
    case = await case_by_token(deps, token)
    count = await revoke_others(deps.session, case.id, token, utcnow())
    await record(deps.session, case, HIRER, "status_links_revoked", {"count": count})
    return count
