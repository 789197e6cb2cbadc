/**
 * {@code model verify}: the engine against a folder's {@code reference.json} made by transformers
 * ({@link dev.nightshift.pipeline.llm.verify.ReferenceCheck}, with images
 * {@code VisionReferenceCheck}): prompt ids, chat template, greedy tokens, first-step logits, and batches.
 */
package dev.nightshift.pipeline.llm.verify;
