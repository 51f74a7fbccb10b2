"""The Telegram interface of the learner assistant."""
