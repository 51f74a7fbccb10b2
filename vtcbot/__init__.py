"""Command line and process wiring of the learner assistant."""
