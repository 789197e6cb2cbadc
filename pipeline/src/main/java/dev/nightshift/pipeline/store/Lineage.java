package dev.nightshift.pipeline.store;

import dev.nightshift.pipeline.core.Grounding;

import java.util.List;

/**
 * Everything stored for a document, as a tree: the document, its extractions, the outputs made from
 * each extraction (final ones at the top, each with the outputs and chunks it was made from), and the
 * documents found inside it. {@code show} prints it, the report renders it; neither reads SQL.
 */
public sealed interface Lineage {
    /**
     * @param languageNote why {@code info.language()} is missing ("too little text to tell", "no clear
     *                     answer"), or null
     */
    record Document(DocumentInfo info, String languageNote, List<Extraction> extractions, List<Document> entries)
            implements Lineage {
        public Document {
            extractions = List.copyOf(extractions);
            entries = List.copyOf(entries);
        }
    }

    /**
     * One extraction of the document, by one run, and the final outputs made from its chunks.
     *
     * @param kept the text of an extraction judged NOT_TEXT (kept so it can be looked at), else null */
    record Extraction(long id, long runId, String status, String parser, String tikaVersion, long chars, long durationMs,
                      String error, String kept, List<Output> outputs) implements Lineage {
        public Extraction {
            outputs = List.copyOf(outputs);
        }
    }

    /**
     * An output and what it was made from, in order: chunks, or the outputs it combines.
     *
     * @param grounding how well its source supports it, sentence by sentence; null when it was not checked
     *                  (extractive summaries, copies, outputs stored before the check existed)
     */
    record Output(Provenance provenance, String text, List<Lineage> inputs, Grounding grounding) implements Lineage {
        public Output {
            inputs = List.copyOf(inputs);
        }
    }

    /** A chunk an output read. */
    record Chunk(ChunkSpan span) implements Lineage {
    }
}
