"""Label changes as previewed migrations: rename, merge or remove labels that results use, with
the new config, in one transaction (``POST /api/projects/{id}/label-changes/preview|apply``)."""
