"""Persistence: the aiosqlite connection, numbered migrations and one repository per aggregate.

Every SQL string of the project lives in this package.
"""
