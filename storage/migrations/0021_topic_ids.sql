-- An enquiry's topic is an id ('programmes', 'driving', 'teachers',
-- 'other'), shown in the reader's language; it was the label in the
-- learner's language ("Kita", "Something else") or, for an enquiry started
-- from a programme's card, that programme's title. Labels become ids; a
-- title becomes 'programmes' (the programme is kept in programme_id).
UPDATE enquiries SET topic = CASE
    WHEN topic IN ('Programos', 'Programmes') THEN 'programmes'
    WHEN topic IN ('Vairavimo mokykla', 'Driving school') THEN 'driving'
    WHEN topic IN ('Mokytojams', 'For teachers') THEN 'teachers'
    WHEN topic IN ('Kita', 'Something else') THEN 'other'
    WHEN programme_id IS NOT NULL THEN 'programmes'
    ELSE topic
END
WHERE topic IS NOT NULL;

-- Drafts being written keep their topic in their JSON.
UPDATE enquiry_drafts SET data = json_set(data, '$.topic', CASE
    WHEN json_extract(data, '$.topic') IN ('Programos', 'Programmes') THEN 'programmes'
    WHEN json_extract(data, '$.topic') IN ('Vairavimo mokykla', 'Driving school') THEN 'driving'
    WHEN json_extract(data, '$.topic') IN ('Mokytojams', 'For teachers') THEN 'teachers'
    WHEN json_extract(data, '$.topic') IN ('Kita', 'Something else') THEN 'other'
    WHEN json_extract(data, '$.programme_id') IS NOT NULL THEN 'programmes'
    ELSE json_extract(data, '$.topic')
END)
WHERE json_valid(data) AND json_extract(data, '$.topic') IS NOT NULL;
