-- Which documents were found inside which container version (an archive, a mailbox, a mail with
-- attachments). A container is done under a task only when each of its entries is: a new task, or an
-- entry that failed in a way worth retrying, makes the next run open the container again even though
-- its own bytes are unchanged. Nested entries (outer.zip!/inner.zip/a.txt) belong to the outermost file.
CREATE TABLE document_entries (
    container_id    BIGINT NOT NULL REFERENCES documents(id),
    entry_id        BIGINT NOT NULL REFERENCES documents(id),
    CONSTRAINT pk_document_entries PRIMARY KEY (container_id, entry_id)
);
CREATE INDEX ix_document_entries_entry ON document_entries(entry_id);
