package dev.nightshift.pipeline.core;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One thing a connector found: a file on disk, or an entry of a container already written to a
 * temporary file. {@code locator} is what the user sees and what identifies the source across runs
 * ({@code /data/mail.eml!/invoice.pdf} for an attachment).
 *
 * @param locator    stable, human-readable identity of the source
 * @param file       where the bytes can be read now
 * @param sizeBytes  size at discovery time
 * @param modifiedAt last modification time, when known
 */
public record SourceItem(String locator, Path file, long sizeBytes, Instant modifiedAt) {
    public SourceItem {
        Objects.requireNonNull(locator, "locator");
        Objects.requireNonNull(file, "file");
        if (locator.isBlank()) throw new IllegalArgumentException("locator is blank");
        if (sizeBytes < 0) throw new IllegalArgumentException("negative size: " + sizeBytes);
        // The database keeps microseconds; truncate so a stored time compares equal to a fresh one.
        modifiedAt = modifiedAt == null ? null : modifiedAt.truncatedTo(ChronoUnit.MICROS);
    }
}
