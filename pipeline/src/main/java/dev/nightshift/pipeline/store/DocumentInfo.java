package dev.nightshift.pipeline.store;

import java.time.Instant;

/**
 * One stored version of a document: where it is, its bytes' digest and size, what it is.
 *
 * @param locator  the source path; an entry is {@code container!/path/inside}
 * @param language the detected language (ISO 639-1), or null when too little text or no clear answer
 */
public record DocumentInfo(long id, String locator, String sha256, long sizeBytes, String mediaType, String language,
                           Instant modifiedAt) {
}
