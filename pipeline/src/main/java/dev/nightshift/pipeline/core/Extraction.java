package dev.nightshift.pipeline.core;

import java.util.List;
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
 * @param embedded    documents found inside this one; each becomes a document of its own
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
        String error,
        List<EmbeddedDocument> embedded) {

    public Extraction {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(extractor, "extractor");
        text = text == null ? "" : text;
        embedded = embedded == null ? List.of() : List.copyOf(embedded);
        if (!status.usable() && error == null) {
            throw new IllegalArgumentException("a failed extraction needs a reason: " + status);
        }
    }

    /** An extraction with nothing embedded. */
    public Extraction(ExtractionStatus status, String text, String mediaType, String parser, String extractor,
                      String tikaVersion, String language, long durationMs, String error) {
        this(status, text, mediaType, parser, extractor, tikaVersion, language, durationMs, error, List.of());
    }

    /** The document's language as a locale for sentence boundaries and prompts; the root locale when none was detected. */
    public java.util.Locale locale() {
        return language == null ? java.util.Locale.ROOT : java.util.Locale.forLanguageTag(language);
    }

    /** The same extraction with other text (a document's text with its pictures' descriptions after it). */
    public Extraction withText(String newText) {
        return new Extraction(status, newText, mediaType, parser, extractor, tikaVersion, language, durationMs, error, embedded);
    }

    /** The same extraction with another reason or detail (a picture's "too small to describe"). */
    public Extraction withError(String detail) {
        return new Extraction(status, text, mediaType, parser, extractor, tikaVersion, language, durationMs, detail, embedded);
    }

    /** A failure before or outside any parser (unreadable file, empty file). */
    public static Extraction failed(ExtractionStatus status, String extractor, String mediaType, long durationMs, String error) {
        return new Extraction(status, "", mediaType, null, extractor, null, null, durationMs, error);
    }
}
