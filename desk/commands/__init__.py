"""Subcommands of the `desk` CLI, grouped by area. Each module has `register(sub, common, lang)`."""
