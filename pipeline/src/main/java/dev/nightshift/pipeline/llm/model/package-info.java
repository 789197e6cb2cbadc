/**
 * A model folder as downloaded from the hub, without ONNX Runtime: which graph files one precision needs
 * ({@link dev.nightshift.pipeline.llm.model.ModelFolder}, {@link dev.nightshift.pipeline.llm.model.Dtype}),
 * {@code config.json} and {@code generation_config.json} ({@link dev.nightshift.pipeline.llm.model.ModelConfig}),
 * the tokenizer ({@link dev.nightshift.pipeline.llm.model.GemmaTokenizer}), the folder's own chat template
 * ({@link dev.nightshift.pipeline.llm.model.ChatTemplate}), and the exception that names what is wrong with a
 * folder or a request ({@link dev.nightshift.pipeline.llm.model.ModelException}).
 */
package dev.nightshift.pipeline.llm.model;
