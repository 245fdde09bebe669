"""Comments on tasks, annotations and regions, with resolve/unresolve and unread markers."""
