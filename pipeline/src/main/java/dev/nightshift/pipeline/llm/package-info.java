/**
 * Running onnx-community Gemma exports with ONNX Runtime, and the generators the tasks ask.
 *
 * <p>Public: {@link dev.nightshift.pipeline.llm.GemmaEngine} (load a folder, generate a batch, generate
 * continuously), the {@link dev.nightshift.pipeline.llm.Generator}s a task uses
 * ({@link dev.nightshift.pipeline.llm.DirectGenerator} for one call, the run's
 * {@link dev.nightshift.pipeline.llm.BatchingGenerator}), the records that cross into tasks (requests, results,
 * sampling parameters) and {@link dev.nightshift.pipeline.llm.BatchLayout}.
 *
 * <p>Internal (package-private), one role each: {@code ModelLoader} opens the graphs with their in-memory patches
 * ({@code llm.graph}); {@code ModelSession} runs one step (feeds, buffers, logits); {@code KvCache} owns the keys
 * and values and moves, joins and trims them; {@code Prefill} runs prompts into a cache; {@code ContinuousDecoder}
 * decodes a batch that rows join and leave between steps, and {@code StaticBatch} feeds it a fixed set;
 * {@code VisionEncoder} turns pictures into features.
 *
 * <p>Beside it: {@code llm.model} (a model folder: files, config, precision, tokenizer, chat template),
 * {@code llm.graph} (reading and patching ONNX graphs in memory), {@code llm.verify} (checks against
 * transformers' references), {@code llm.vision} (pictures as the encoder takes them), {@code llm.hub}
 * ({@code model pull}).
 */
package dev.nightshift.pipeline.llm;
