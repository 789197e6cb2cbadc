package dev.nightshift.pipeline.core;

import java.util.Objects;

/**
 * A document found inside another one (an archive entry, a mail attachment, an embedded file), which
 * becomes a document of its own with the locator {@code container!/path}.
 *
 * @param path       the path inside the container, e.g. {@code letters/bill.txt} or {@code inner.zip/a.pdf}
 * @param sha256     SHA-256 of the entry's bytes
 * @param sizeBytes  the entry's size, or 0 when unknown
 * @param extraction what was extracted from the entry itself (without its own embedded documents' text)
 * @param imageBytes the entry's bytes when it is a picture and the extractor was asked to keep them (for a
 *                   vision model to look at), else null
 */
public record EmbeddedDocument(String path, String sha256, long sizeBytes, Extraction extraction, byte[] imageBytes) {
    public EmbeddedDocument(String path, String sha256, long sizeBytes, Extraction extraction) {
        this(path, sha256, sizeBytes, extraction, null);
    }

    public EmbeddedDocument {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(extraction, "extraction");
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a hex SHA-256: " + sha256);
    }

    /** The locator of the entry inside the container's locator. */
    public String locatorIn(String containerLocator) {
        return containerLocator + "!/" + path;
    }
}
