-- nightshift core schema: the vocabulary of ../docs/architecture.md, one table per noun.
-- Every row written during a run carries run_id, so "what did run N do?" is a query, not a log search.

-- One invocation of nightshift. status: running | completed | interrupted | failed.
-- A run still 'running' when a new run starts was killed (kill -9, power loss): the new run marks it 'abandoned'.
CREATE TABLE runs (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    command         VARCHAR(64)   NOT NULL,
    arguments       VARCHAR(8192) NOT NULL,
    tool_version    VARCHAR(64)   NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at        TIMESTAMP WITH TIME ZONE,
    status          VARCHAR(16)   NOT NULL,
    summary         CLOB
);

-- A place a document came from: a file path, or an entry inside a container ("mail.eml!/attachment.pdf").
CREATE TABLE sources (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    locator         VARCHAR(4096) NOT NULL,
    locator_hash    CHAR(64)      NOT NULL,
    parent_id       BIGINT REFERENCES sources(id),
    first_run_id    BIGINT NOT NULL REFERENCES runs(id),
    CONSTRAINT uq_sources_locator UNIQUE (locator_hash)
);

-- One version of a source's content, identified by its SHA-256.
CREATE TABLE documents (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    source_id       BIGINT NOT NULL REFERENCES sources(id),
    sha256          CHAR(64)  NOT NULL,
    size_bytes      BIGINT    NOT NULL,
    modified_at     TIMESTAMP WITH TIME ZONE,
    media_type      VARCHAR(255),
    language        VARCHAR(16),
    first_run_id    BIGINT NOT NULL REFERENCES runs(id),
    CONSTRAINT uq_documents_version UNIQUE (source_id, sha256)
);
CREATE INDEX ix_documents_sha ON documents(sha256);

-- What Tika got out of a document. status is a category (see ExtractionStatus): the run decides
-- from it whether to skip or retry. A document may be extracted again by a later extractor version.
CREATE TABLE extractions (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    document_id     BIGINT NOT NULL REFERENCES documents(id),
    run_id          BIGINT NOT NULL REFERENCES runs(id),
    status          VARCHAR(32)   NOT NULL,
    extractor       VARCHAR(128)  NOT NULL,
    parser          VARCHAR(1024),
    tika_version    VARCHAR(32),
    media_type      VARCHAR(255),
    char_count      BIGINT NOT NULL,
    duration_ms     BIGINT NOT NULL,
    error           VARCHAR(4096),
    content         CLOB,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_extractions_document ON extractions(document_id);

-- A span of an extraction's text, sized for the model: [char_start, char_end) in the extraction content.
CREATE TABLE chunks (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    extraction_id   BIGINT NOT NULL REFERENCES extractions(id),
    seq             INT    NOT NULL,
    char_start      INT    NOT NULL,
    char_end        INT    NOT NULL,
    token_count     INT    NOT NULL,
    tokenizer       VARCHAR(255) NOT NULL,
    CONSTRAINT uq_chunks_seq UNIQUE (extraction_id, tokenizer, seq)
);

-- Text produced for a task from chunks or from other outputs (a map-reduce tree: level 0 reads chunks).
-- task_key hashes everything that determines the text (task, method or model files, prompt, parameters),
-- so an unchanged document under an unchanged task key is skipped, and identical input is generated once.
CREATE TABLE outputs (
    id                BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id            BIGINT NOT NULL REFERENCES runs(id),
    document_id       BIGINT NOT NULL REFERENCES documents(id),
    task              VARCHAR(64)   NOT NULL,
    task_key          CHAR(64)      NOT NULL,
    method            VARCHAR(32)   NOT NULL,
    model             VARCHAR(1024),
    model_digest      VARCHAR(128),
    prompt_name       VARCHAR(128),
    prompt_version    VARCHAR(32),
    prompt_hash       VARCHAR(64),
    parameters        VARCHAR(4096) NOT NULL,
    level             INT     NOT NULL,
    is_final          BOOLEAN NOT NULL,
    content           CLOB    NOT NULL,
    input_hash        CHAR(64) NOT NULL,
    finish_reason     VARCHAR(32),
    prompt_tokens     INT,
    generated_tokens  INT,
    duration_ms       BIGINT NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_outputs_document ON outputs(document_id, task_key);
CREATE INDEX ix_outputs_cache ON outputs(task_key, input_hash);

-- Lineage: output -> what it was made from (a chunk, or an earlier output), in order.
CREATE TABLE lineage (
    output_id       BIGINT NOT NULL REFERENCES outputs(id),
    input_kind      VARCHAR(8) NOT NULL,
    input_id        BIGINT NOT NULL,
    ord             INT    NOT NULL,
    CONSTRAINT pk_lineage PRIMARY KEY (output_id, ord),
    CONSTRAINT ck_lineage_kind CHECK (input_kind IN ('chunk', 'output'))
);

-- Something that happened to a source in a run: discovered, skipped, extracted, failed, generated, written.
CREATE TABLE events (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id          BIGINT NOT NULL REFERENCES runs(id),
    source_id       BIGINT REFERENCES sources(id),
    document_id     BIGINT REFERENCES documents(id),
    kind            VARCHAR(32) NOT NULL,
    detail          VARCHAR(4096),
    at              TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_events_run ON events(run_id, kind);
