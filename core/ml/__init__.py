"""Machine-learning backends: connections per project, their state, predictions, training."""
