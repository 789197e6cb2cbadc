package dev.nightshift.pipeline.core;

import java.util.List;
import java.util.Objects;

/**
 * Everything one document produced in a run, written in one transaction: either all of it is in the
 * database after a crash, or none of it is and the next run does the document again.
 *
 * @param tokenizer name of the token counter that sized the chunks
 * @param chunks    empty when the extraction failed
 * @param task      null when the extraction failed
 * @param outputs   the summary tree, children first; empty when the extraction failed
 * @param unchanged true for a document inside a container that an earlier run already finished under
 *                  the same task (or that failed for good): only its place in the container is stored
 * @param groundings one per output, in order: how well its source supports it, or null where not checked
 * @param fields    the values an extraction read from the document (empty for other tasks)
 */
public record DocumentResult(
        FetchedDocument document,
        Extraction extraction,
        String tokenizer,
        List<Chunk> chunks,
        Task task,
        List<OutputDraft> outputs,
        boolean unchanged,
        List<Grounding> groundings,
        List<FieldValue> fields) {

    public DocumentResult {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(extraction, "extraction");
        chunks = List.copyOf(chunks);
        outputs = List.copyOf(outputs);
        if (!outputs.isEmpty() && task == null) throw new IllegalArgumentException("outputs need a task");
        // Nulls stand for outputs not checked, so the list is copied as it is.
        groundings = groundings == null ? java.util.Collections.nCopies(outputs.size(), null)
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(groundings));
        if (groundings.size() != outputs.size()) throw new IllegalArgumentException("one grounding (or null) per output");
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public DocumentResult(FetchedDocument document, Extraction extraction, String tokenizer, List<Chunk> chunks, Task task,
                          List<OutputDraft> outputs, boolean unchanged, List<Grounding> groundings) {
        this(document, extraction, tokenizer, chunks, task, outputs, unchanged, groundings, List.of());
    }

    /** The same result with the values an extraction read. */
    public DocumentResult withFields(List<FieldValue> values) {
        return new DocumentResult(document, extraction, tokenizer, chunks, task, outputs, unchanged, groundings, values);
    }

    public DocumentResult(FetchedDocument document, Extraction extraction, String tokenizer, List<Chunk> chunks, Task task,
                          List<OutputDraft> outputs, boolean unchanged) {
        this(document, extraction, tokenizer, chunks, task, outputs, unchanged, null);
    }

    /** The same result with each output's grounding. */
    public DocumentResult withGroundings(List<Grounding> checked) {
        return new DocumentResult(document, extraction, tokenizer, chunks, task, outputs, unchanged, checked, fields);
    }

    public DocumentResult(FetchedDocument document, Extraction extraction, String tokenizer, List<Chunk> chunks, Task task,
                          List<OutputDraft> outputs) {
        this(document, extraction, tokenizer, chunks, task, outputs, false);
    }

    /** A document done before, found again inside a container that is read again for its other entries. */
    public static DocumentResult unchanged(FetchedDocument document, Extraction extraction) {
        return new DocumentResult(document, extraction, null, List.of(), null, List.of(), true);
    }

    /**
     * A document stored with its extraction and no output: a failed extraction, and also an archive, a picture
     * without a description and text with nothing to process, which are not failures (the extraction says which).
     */
    public static DocumentResult recorded(FetchedDocument document, Extraction extraction) {
        return new DocumentResult(document, extraction, null, List.of(), null, List.of());
    }
}
