-- How many unchanged documents a run skipped, counted once on the run: a rerun of 20,000 unchanged files
-- used to add 20,000 'skipped' events (about 4 MB a rerun) that said nothing the count does not.
ALTER TABLE runs ADD COLUMN skipped BIGINT DEFAULT 0 NOT NULL;

