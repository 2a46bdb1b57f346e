"""Moving a desk's data: `desk export` (jsonl, csv), `desk import` (merge another desk's export),
`desk migrate` (another tool's CSV export). What an export carries is derived from the models
(desk.services.transfer.spec): a table another part of desk adds is carried without new code.
The format is in docs/export-format.md; migration in docs/migration.md."""
