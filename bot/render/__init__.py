"""What the bot says, as text and buttons, without any Telegram objects.

Shared by the Telegram handlers and the command line (`vtcbot ask`).
"""
