"""The text layer: what the centre says, as text and buttons, in lt and en.

Translators (`i18n`), callback data (`callbacks`) and the render functions that
build `Reply` and `Button` values from domain values, without any Telegram or
web objects. Shared by both interfaces (the bot and the web console) and the
command line (`vtcbot ask`).
"""
