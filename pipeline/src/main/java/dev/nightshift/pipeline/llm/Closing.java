package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.llm.model.ModelException;

/**
 * Closes a model's native parts (ONNX sessions, weight tensors, the tokenizer) all of them, even when one
 * throws: a close that stopped at the first failure would leave the others' native memory held for the
 * rest of the process.
 */
final class Closing {
    private Closing() {
    }

    /**
     * Closes each resource in order (nulls skipped); the first failure is thrown after all were tried, the
     * later ones suppressed in it.
     */
    static void all(AutoCloseable... resources) {
        RuntimeException first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) continue;
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException runtime ? runtime : new ModelException("cannot close the model: " + e.getMessage(), e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) throw first;
    }
}
