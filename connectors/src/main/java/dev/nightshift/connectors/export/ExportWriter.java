package dev.nightshift.connectors.export;

import dev.nightshift.pipeline.store.ExportRecord;

import java.io.IOException;

/** Writes export records one at a time, so an export of any size runs in constant memory. */
public interface ExportWriter extends AutoCloseable {
    void write(ExportRecord record) throws IOException;

    /** Flushes; the underlying writer belongs to the caller. */
    @Override
    void close() throws IOException;
}
