"""Everything between the bot and Telegram's servers, apart from the handlers.

Durable intake of updates (polling and webhook), HTTP, the pacer every
outgoing request waits its turn in, and the senders of what nobody asked for
just now (reminders, notices, broadcasts, staff answers, erased staff posts)
with one error-to-outcome map and one batch loop. Never imports the handlers.
"""
