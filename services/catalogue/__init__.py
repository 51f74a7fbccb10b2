"""The centre's catalogue: its format, validation, import and browsing."""
