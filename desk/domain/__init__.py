"""Pure rules: no database, no textual. Everything here is testable with plain values."""
