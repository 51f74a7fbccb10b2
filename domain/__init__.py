"""The centre's vocabulary and value types, shared by every room above.

Languages, enquiry statuses, audiences, delivery outcomes, and the plain
values storage hands upwards (an enquiry, a broadcast). Imports nothing of
the project, so storage, services, the texts and both interfaces can all
speak it.
"""
