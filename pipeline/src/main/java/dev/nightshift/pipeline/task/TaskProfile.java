package dev.nightshift.pipeline.task;

import dev.nightshift.pipeline.core.Task;

import java.util.Objects;

/**
 * What a {@link DocumentTask} is, as data the run reads once: its identity and parameters (the task key
 * that decides what counts as done), how documents are to be chunked for it, and how many documents
 * it may process at once.
 *
 * @param parallelism documents processed at once: the cores for a CPU-bound task, more for a model task
 *                    whose documents mostly wait on a shared batching generator
 */
public record TaskProfile(Task task, ChunkingSpec chunking, int parallelism) {
    public TaskProfile {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(chunking, "chunking");
        if (parallelism < 1) throw new IllegalArgumentException("parallelism < 1");
    }
}
