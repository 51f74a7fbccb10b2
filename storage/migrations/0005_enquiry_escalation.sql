-- When an unanswered enquiry was raised again in the staff chat (once).
ALTER TABLE enquiries ADD COLUMN escalated_at TEXT;
