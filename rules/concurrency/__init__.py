"""Concurrency rules: contexts and their cancel functions, goroutines, wait groups."""
