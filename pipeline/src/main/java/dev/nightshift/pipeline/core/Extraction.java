package dev.nightshift.pipeline.core;

import java.util.Objects;

/**
 * What the extractor got from a document.
 *
 * @param status      the category (see {@link ExtractionStatus})
 * @param text        the extracted text; empty unless the status is usable
 * @param mediaType   detected media type, when known
 * @param parser      the parser(s) that ran, e.g. {@code org.apache.tika.parser.pdf.PDFParser}
 * @param extractor   name and version of the extraction component (part of the provenance)
 * @param tikaVersion the Tika version, when Tika ran
 * @param language    ISO 639-1 code of the detected language, or null when unknown
 * @param durationMs  wall time spent extracting
 * @param error       the reason for a failure or a partial result, or null
 */
public record Extraction(
        ExtractionStatus status,
        String text,
        String mediaType,
        String parser,
        String extractor,
        String tikaVersion,
        String language,
        long durationMs,
        String error) {

    public Extraction {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(extractor, "extractor");
        text = text == null ? "" : text;
        if (!status.usable() && error == null) {
            throw new IllegalArgumentException("a failed extraction needs a reason: " + status);
        }
    }

    /** A failure before or outside any parser (unreadable file, empty file). */
    public static Extraction failed(ExtractionStatus status, String extractor, String mediaType, long durationMs, String error) {
        return new Extraction(status, "", mediaType, null, extractor, null, null, durationMs, error);
    }
}
