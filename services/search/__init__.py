"""The answer engine: normalisation, the full-text index, intents and ranking."""
