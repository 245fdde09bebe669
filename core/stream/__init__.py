"""The label stream: which task an annotator gets next."""
