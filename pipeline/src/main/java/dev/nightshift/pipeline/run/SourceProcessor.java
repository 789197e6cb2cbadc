package dev.nightshift.pipeline.run;

import java.util.List;

/**
 * The middle stage of a {@link DocumentRun}: what became of each document of one prepared source. Called from
 * several threads at once, one source each. {@link DocumentProcessor} runs the task on text;
 * {@code image.PictureProcessor} wraps it to describe pictures first.
 */
@FunctionalInterface
public interface SourceProcessor {
    /**
     * @return the container first, then its entries in order
     * @throws dev.nightshift.pipeline.llm.GenerationCancelledException when the run stops during a generation
     */
    List<ProcessedDocument> process(Preparation.Ready ready);
}
