-- The answer engine builds its BM25 index in memory from the catalogue when
-- it loads it (services/search/lexical.py): the stored FTS5 copy and the
-- version of the code that built it are no longer read.
DROP TABLE IF EXISTS search_index;
DELETE FROM meta WHERE key = 'search_index_version';
