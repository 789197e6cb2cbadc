-- The segments of a file written back in its own format (translate, --format same): one row per text unit sent to
-- the model, as sent and as written (inline codes as tags: <g1>..</g1>, <x2/>), with what its check found. A later
-- run that writes the file again adds its own rows: readers take the newest run's rows of a document and task.
-- issues is a JSON array of {"issue": "NUMBER_LOST", "detail": "84000"}; [] when the check found nothing.
CREATE TABLE segments (
    id                BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id            BIGINT NOT NULL REFERENCES runs(id),
    document_id       BIGINT NOT NULL REFERENCES documents(id),
    task_key          CHAR(64)      NOT NULL,
    source_language   VARCHAR(16),
    target_language   VARCHAR(16)   NOT NULL,
    target_file       VARCHAR(4096) NOT NULL,
    seq               INT           NOT NULL,
    source            CLOB          NOT NULL,
    translation       CLOB          NOT NULL,
    issues            VARCHAR(4096) NOT NULL,
    flagged           BOOLEAN       NOT NULL
);
CREATE INDEX ix_segments_document ON segments(document_id, task_key, run_id);
