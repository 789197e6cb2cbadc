-- How well each model-made output is supported by the text it was made from, sentence by sentence
-- (pipeline/ground): one row per sentence of the output. sentence_start/_end are offsets into the output's
-- content; evidence is a JSON array of [start, end] offsets into the content of the extraction whose chunks
-- the output read (for an answer, [start, end, chunk_id]: offsets into that chunk's extraction); flags is a JSON array of what was not found ("number:17", "name:Lyon", "words").
CREATE TABLE groundings (
    output_id       BIGINT NOT NULL REFERENCES outputs(id),
    seq             INT    NOT NULL,
    checker         VARCHAR(32)  NOT NULL,
    sentence_start  INT    NOT NULL,
    sentence_end    INT    NOT NULL,
    supported       BOOLEAN NOT NULL,
    score           DOUBLE PRECISION NOT NULL,
    evidence        VARCHAR(4096) NOT NULL,
    flags           VARCHAR(4096) NOT NULL,
    CONSTRAINT pk_groundings PRIMARY KEY (output_id, seq)
);

-- An answer to a question (nightshift ask) is an output of no single document: it reads chunks of many
-- (its lineage lists them), so its document is null and the question is kept with it.
ALTER TABLE outputs ALTER COLUMN document_id SET NULL;
ALTER TABLE outputs ADD COLUMN question CLOB;
