"""Handlers: each takes a message and the services, records facts, and returns what follows."""
