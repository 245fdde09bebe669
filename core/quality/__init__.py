"""Annotation quality: agreement between annotators, scores against ground truth, dashboards."""
