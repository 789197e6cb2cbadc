package dev.nightshift.pipeline.llm.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The precision variants of an onnx-community export, each a file-name suffix beside the fp32 graph:
 * {@code model.onnx}, {@code model_fp16.onnx}, {@code model_quantized.onnx}, {@code model_q4.onnx}, ...
 */
public enum Dtype {
    FP32(""), FP16("_fp16"), Q8("_quantized"), Q4("_q4"), Q4F16("_q4f16");

    /** When none is asked for: 4-bit runs fastest on a CPU, then the others by size. */
    static final List<Dtype> DEFAULT_ORDER = List.of(Q4, FP32, Q8, Q4F16, FP16);

    private final String suffix;

    Dtype(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    /** The graph file for a base name: {@code fileFor("model")} is {@code model_q4.onnx} for Q4. */
    public String fileFor(String base) {
        return base + suffix + ".onnx";
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Dtype parse(String name) {
        for (Dtype d : values()) {
            if (d.cliName().equalsIgnoreCase(name.strip())) return d;
        }
        throw new ModelException("unknown dtype '" + name + "'; use one of "
                + Arrays.stream(values()).map(Dtype::cliName).collect(Collectors.joining(", ")));
    }
}
