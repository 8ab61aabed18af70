"""Cross-cutting protections: security headers, audit log, data protection tools."""
