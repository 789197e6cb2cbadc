package dev.nightshift.connectors.extract;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.core.EmbeddedDocument;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The line protocol between {@link ForkedExtractor} and {@link ExtractionServer}: one JSON object per
 * line each way. JSON escapes line breaks, so a line is always one message.
 */
final class ExtractionWire {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Every protocol line starts with this. Anything else on the child's stdout (the JVM's own
     * "Terminating due to java.lang.OutOfMemoryError", a native library's print) is not a message.
     */
    static final String PREFIX = "@nightshift@ ";
    static final String READY = PREFIX + "ready";

    /** Parent to child: extract this file. */
    /** @param keepImageBytes most bytes of one embedded picture to keep for a vision model (0: none) */
    record Request(String path, String name, long sizeBytes, long keepImageBytes) {
    }

    /** Child to parent: what came out, with the documents found inside. */
    record Response(String status, String text, String mediaType, String parser, String tikaVersion, String language,
                    long durationMs, String error, List<Entry> embedded) {
        static Response of(Extraction e) {
            List<Entry> entries = e.embedded().stream()
                    .map(d -> new Entry(d.path(), d.sha256(), d.sizeBytes(), of(d.extraction()),
                            d.imageBytes() == null ? null : java.util.Base64.getEncoder().encodeToString(d.imageBytes()))).toList();
            return new Response(e.status().name(), e.text(), e.mediaType(), e.parser(), e.tikaVersion(), e.language(),
                    e.durationMs(), e.error(), entries);
        }

        Extraction toExtraction(String extractor) {
            List<EmbeddedDocument> documents = embedded == null ? List.of() : embedded.stream()
                    .map(x -> new EmbeddedDocument(x.path(), x.sha256(), x.sizeBytes(), x.extraction().toExtraction(extractor),
                            x.image() == null ? null : java.util.Base64.getDecoder().decode(x.image())))
                    .toList();
            return new Extraction(ExtractionStatus.valueOf(status), text, mediaType, parser, extractor, tikaVersion, language,
                    durationMs, error, documents);
        }
    }

    /** An embedded document; {@code image}: a picture's bytes in base64 when they were kept, else null. */
    record Entry(String path, String sha256, long sizeBytes, Response extraction, String image) {
    }

    private ExtractionWire() {
    }

    static String write(Object message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(String line, Class<T> type) {
        try {
            return JSON.readValue(line, type);
        } catch (IOException e) {
            throw new UncheckedIOException("malformed message from the extraction process: " + e.getMessage(), e);
        }
    }
}
