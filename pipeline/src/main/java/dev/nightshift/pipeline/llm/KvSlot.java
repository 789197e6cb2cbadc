package dev.nightshift.pipeline.llm;

import ai.onnxruntime.OnnxJavaType;

/**
 * One KV tensor the decoder graph declares, as read from its metadata: {@code past_key_values.{i}.key}
 * in, {@code present.{i}.key} out, shape [batch, kvHeads, length, headDim]. Head counts and widths come
 * from the graph, never from config.json: Gemma 4's full-attention layers are wider than its local ones.
 */
record KvSlot(String pastName, String presentName, long kvHeads, long headDim, OnnxJavaType type) {
    /** Bytes of one key or value element: float32, or float16 in the fp16 exports. */
    int bytesPerElement() {
        return type == OnnxJavaType.FLOAT ? 4 : 2;
    }
}
