-- Results of a cluster run (nightshift spark) merged into this database by nightshift import: one row per
-- committed partition, so that importing the same results again changes nothing.
CREATE TABLE imports (
    job_id          VARCHAR(64)  NOT NULL,
    partition_name  VARCHAR(64)  NOT NULL,
    run_id          BIGINT NOT NULL REFERENCES runs(id),
    documents       INT    NOT NULL,
    imported_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_imports PRIMARY KEY (job_id, partition_name)
);
