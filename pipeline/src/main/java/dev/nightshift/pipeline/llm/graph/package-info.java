/**
 * ONNX graphs read and changed in memory, without a protobuf library: a minimal wire-format reader and
 * writer ({@code Protobuf}, {@code OnnxFields}), and the patches the loader applies to a decoder graph before
 * ONNX Runtime sees it (the file on disk is never changed): {@link dev.nightshift.pipeline.llm.graph.LastPositionPatch}
 * (logits of each row's last token only) and {@link dev.nightshift.pipeline.llm.graph.AccuracyLevelPatch} (int8
 * kernels for 4-bit MatMulNBits).
 */
package dev.nightshift.pipeline.llm.graph;
