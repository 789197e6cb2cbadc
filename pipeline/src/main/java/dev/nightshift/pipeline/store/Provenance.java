package dev.nightshift.pipeline.store;

import java.time.Instant;

/**
 * Where an output came from: the task and its parameters, the method or model (with its digest), the
 * prompt (name, version, hash), how generation ended, what it cost, and the run that made it. The
 * same record feeds {@code show}, {@code export} and the report, so they cannot disagree.
 *
 * @param level        0 for outputs made from chunks, one more for each combining step above them
 * @param finishReason stop, length, cached, copied, joined, extractive, ... ({@code outputs.finish_reason})
 * @param durationMs   this output's own share of the generation time (see docs/benchmarks.md, "One generator for the run")
 */
public record Provenance(
        long outputId,
        long runId,
        String task,
        String method,
        String model,
        String modelDigest,
        String promptName,
        String promptVersion,
        String promptHash,
        String parameters,
        int level,
        boolean isFinal,
        String finishReason,
        int promptTokens,
        int generatedTokens,
        long durationMs,
        Instant createdAt) {

    /** True when a model made the output (not an extractive algorithm or a copy). */
    public boolean byModel() {
        return "model".equals(method);
    }
}
