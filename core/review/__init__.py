"""Review: reviewers accept, reject (with a comment) or fix and accept submitted annotations."""
