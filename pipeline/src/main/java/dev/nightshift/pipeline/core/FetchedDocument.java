package dev.nightshift.pipeline.core;

import java.util.Objects;

/**
 * A source whose bytes were read once to fingerprint them: the document is this version of the
 * source's content, identified by {@code sha256}.
 */
public record FetchedDocument(SourceItem source, String sha256, long sizeBytes) {
    public FetchedDocument {
        Objects.requireNonNull(source, "source");
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a hex SHA-256: " + sha256);
        }
    }
}
