package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.Chunk;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.FetchedDocument;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.Task;

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
 */
public record DocumentResult(
        FetchedDocument document,
        Extraction extraction,
        String tokenizer,
        List<Chunk> chunks,
        Task task,
        List<OutputDraft> outputs) {

    public DocumentResult {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(extraction, "extraction");
        chunks = List.copyOf(chunks);
        outputs = List.copyOf(outputs);
        if (!outputs.isEmpty() && task == null) throw new IllegalArgumentException("outputs need a task");
    }

    public static DocumentResult failed(FetchedDocument document, Extraction extraction) {
        return new DocumentResult(document, extraction, null, List.of(), null, List.of());
    }
}
