/**
 * What a job does with a document ({@link dev.nightshift.pipeline.task.DocumentTask}: a
 * {@link dev.nightshift.pipeline.task.TaskProfile} read once, a {@link dev.nightshift.pipeline.task.TaskOutput} per
 * document) and what tasks share: how to chunk for them, versioned prompt templates, prompt framing by token counts,
 * and the result cache.
 */
package dev.nightshift.pipeline.task;
