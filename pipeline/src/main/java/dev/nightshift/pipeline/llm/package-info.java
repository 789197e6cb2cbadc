/**
 * Running onnx-community Gemma exports with ONNX Runtime: {@link dev.nightshift.pipeline.llm.GemmaEngine} (graphs read
 * from session metadata, left-padded batches, KV cache handed from step to step, rows leaving when they finish),
 * {@link dev.nightshift.pipeline.llm.Generator} and the run's {@link dev.nightshift.pipeline.llm.BatchingGenerator},
 * int8 kernels for 4-bit graphs ({@link dev.nightshift.pipeline.llm.AccuracyLevelPatch}), chat templates, tokenizer,
 * and the check against transformers' references.
 */
package dev.nightshift.pipeline.llm;
