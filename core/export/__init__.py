"""Export: streaming task exports in any registered format, and snapshots built by a job."""
