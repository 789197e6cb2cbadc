package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.llm.model.ModelException;

import java.util.List;

/**
 * What a document task asks of a model: text for prompts. Tasks hand over all the prompts they have at
 * a point (a document's chunks, one level of a summary tree, a document's pieces) and leave batching to
 * the generator: {@link DirectGenerator} batches one call's requests, {@link BatchingGenerator} batches
 * the requests of every document of a run together.
 *
 * <p>Greedy results do not depend on which requests share a batch: the engine lays rows out as the
 * loaded graph needs ({@link BatchLayout}, checked by a probe at load) and masks the padding, and tests
 * hold it to generating each request alone, token for token, in both export families.
 */
public interface Generator {
    /**
     * Generates for each request, results in the order of the requests.
     *
     * @throws GenerationCancelledException when the run is stopping
     * @throws ModelException               when a request cannot be generated (context overflow, an engine error);
     *                                      requests of other callers sharing its batch are not affected
     */
    List<GenerationResult> generate(List<GenerationRequest> requests);
}
