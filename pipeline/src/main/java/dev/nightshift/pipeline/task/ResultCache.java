package dev.nightshift.pipeline.task;

import java.util.Optional;

/**
 * Text already generated for the same input under the same task key, in this run or an earlier one:
 * identical chunks (a disclaimer in every mail, a document filed twice) are generated once.
 */
@FunctionalInterface
public interface ResultCache {
    ResultCache NONE = (taskKey, inputHash) -> Optional.empty();

    /**
     * @param taskKey   {@link dev.nightshift.pipeline.core.Task#key()}
     * @param inputHash {@link dev.nightshift.pipeline.core.InputHash} of the node's inputs
     */
    Optional<String> lookup(String taskKey, String inputHash);
}
