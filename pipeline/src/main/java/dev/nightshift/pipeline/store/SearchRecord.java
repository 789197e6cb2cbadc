package dev.nightshift.pipeline.store;

import java.util.List;

/**
 * What the search index holds of one stored document version: where it is, what it is, the text of each
 * chunk of its latest extraction (with the chunk's span) and its final outputs.
 */
public record SearchRecord(DocumentInfo document, long extractionId, List<Passage> chunks, List<Passage> outputs) {
    public SearchRecord {
        chunks = List.copyOf(chunks);
        outputs = List.copyOf(outputs);
    }

    /**
     * A piece of text to find: a chunk ({@code seq}, chars [start, end) of the extraction) or an output
     * ({@code id} = output id, {@code task}; start and end are 0).
     */
    public record Passage(long id, int seq, int start, int end, String task, String text) {
    }
}
