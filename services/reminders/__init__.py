"""Reminders of a group's sessions, schedule-change notices and waitlists."""
