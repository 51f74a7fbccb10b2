"""What the centre does: catalogue, answers, learners. No Telegram, no web framework here."""
