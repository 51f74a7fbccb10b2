"""The web console for staff and admins (Starlette + Jinja2), served by the
bot's own process and event loop."""
