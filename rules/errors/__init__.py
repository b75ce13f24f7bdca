"""Error-handling rules: wrapping, comparing and checking errors."""
