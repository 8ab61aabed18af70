"""Token helpers live in the domain so that applicant and feed tokens use the same rules."""

from vetting.tokens import new_token, same_hash, token_hash

__all__ = ["new_token", "same_hash", "token_hash"]
