package dev.nightshift.pipeline.llm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;

import java.util.Map;

/**
 * The keys and values one forward pass reads and writes: the {@code past_key_values.*} tensors it is fed,
 * the {@code present.*} tensors it writes into when they are given (an in-place cache: the same tensors
 * as the past), and what it becomes after the pass.
 */
interface KvState {
    /** Positions the past covers (the mask's width before this pass's own). */
    long length();

    /** The past tensors by input name. */
    Map<String, OnnxTensor> past();

    /** Tensors to bind the {@code present.*} outputs to, by output name; empty when the graph allocates them. */
    Map<String, OnnxTensor> present();

    /** Takes what the pass produced: the result's presents (which the state then owns) or nothing new. */
    void advance(OrtSession.Result result, long newLength);
}
