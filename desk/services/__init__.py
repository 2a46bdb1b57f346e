"""Use cases: the only code that writes. Each checks permission, applies a domain rule, writes in
one transaction guarded by the ticket's version, and appends the history row."""
