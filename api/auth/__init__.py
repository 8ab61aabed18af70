"""Authentication: passwords, API tokens, the request's actor and role guards."""
