-- The values `nightshift extract` read with a schema: one row per value (a scalar, or an item's scalar: items[2].amount),
-- on the document's final output of the extract task (its JSON object is the output's content). evidence is found,
-- not_in_source (looked for in the chunk the value came from and not there) or not_checked (booleans, empty text);
-- char_start/char_end are the extraction's text where it is written, null unless found.
CREATE TABLE fields (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    output_id    BIGINT        NOT NULL REFERENCES outputs(id),
    document_id  BIGINT        NOT NULL REFERENCES documents(id),
    run_id       BIGINT        NOT NULL REFERENCES runs(id),
    seq          INT           NOT NULL,
    field        VARCHAR(512)  NOT NULL,
    path         VARCHAR(2048) NOT NULL,
    value_json   CLOB          NOT NULL,
    json_type    VARCHAR(16)   NOT NULL,
    evidence     VARCHAR(16)   NOT NULL,
    char_start   INT,
    char_end     INT,
    chunk_seq    INT           NOT NULL
);
CREATE INDEX ix_fields_output ON fields(output_id, seq);
CREATE INDEX ix_fields_document ON fields(document_id);
