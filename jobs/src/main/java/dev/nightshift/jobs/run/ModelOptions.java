package dev.nightshift.jobs.run;

import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.jobs.cli.UserException;

import dev.nightshift.pipeline.llm.BatchingGenerator;
import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.Head;
import dev.nightshift.pipeline.llm.Kernels;
import dev.nightshift.pipeline.llm.model.ModelException;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** How a command loads a model: precision and threads. */
public final class ModelOptions {
    @Option(names = "--dtype", paramLabel = "D", description = "Precision: fp32, fp16, q8, q4, q4f16 (default: q4 if present, else fp32, q8, q4f16, fp16).")
    public String dtype;

    @Option(names = "--model-threads", paramLabel = "N", defaultValue = "0",
            description = "ONNX Runtime threads per step (default: one per core).")
    int threads;

    @Option(names = "--exact-kernels", description = "Run 4-bit graphs with the kernels the file declares (float activations, "
            + "as transformers computes) instead of int8 activations (faster on CPUs; tokens may differ slightly).")
    public boolean exactKernels;

    @Option(names = "--head", paramLabel = "H", defaultValue = "default",
            description = "The output layer: default (int8 for a 4-bit graph whose head is float, as the public Gemma 3 "
                    + "exports ship it; as shipped otherwise), as-shipped, int8 or int4 (quantized in memory; the file is not changed).")
    public String head;

    @Option(names = "--kv-memory", paramLabel = "MB", defaultValue = "1024",
            description = "Most memory the keys and values of one batch may take; fewer rows run together when "
                    + "long prompts would exceed it (default: ${DEFAULT-VALUE}).")
    long kvMemoryMb;

    /**
     * The run's one generator: every document's requests batched together, up to {@code batch} rows and
     * the --kv-memory budget.
     */
    BatchingGenerator sharedGenerator(GemmaEngine engine, int batch) {
        if (batch < 1) throw new UserException(ExitCodes.USAGE, "--batch must be at least 1");
        if (kvMemoryMb < 16) throw new UserException(ExitCodes.USAGE, "--kv-memory must be at least 16 (MB)");
        return new BatchingGenerator(engine, batch, kvMemoryMb * 1024 * 1024);
    }

    /**
     * What a run's summary says about a model that cannot batch rows of different lengths (the probe at
     * load found no padded layout that reproduces a row alone), or null when it can.
     */
    static String batchingNote(GemmaEngine engine) {
        String model = engine.folder().folder().getFileName() + " (" + engine.folder().dtype().cliName() + ")";
        return switch (engine.layout()) {
            case LEFT_PADDED, RIGHT_ALIGNED -> null;
            case EQUAL_LENGTHS -> model + " batched only prompts of one length: its graph reproduces no padded batch "
                    + "(nightshift model verify says why)";
            case SINGLE_ROWS -> model + " ran one row at a time: its graph's rows change each other's numbers in any batch "
                    + "(nightshift model verify says why; another --dtype may batch)";
        };
    }

    public GemmaEngine load(Path folder) {
        return load(folder, null);
    }

    public GemmaEngine load(Path folder, Path profilePrefix) {
        return exactKernels ? load(folder, profilePrefix, Kernels.AS_SHIPPED, Head.AS_SHIPPED)
                : load(folder, profilePrefix, Kernels.INT8, head());
    }

    /** The --head option. */
    public Head head() {
        return switch (head) {
            case "default" -> Head.DEFAULT;
            case "as-shipped" -> Head.AS_SHIPPED;
            case "int8" -> Head.INT8;
            case "int4" -> Head.INT4;
            default -> throw new UserException(ExitCodes.USAGE, "--head must be default, as-shipped, int8 or int4, not '"
                    + Terminal.line(head) + "'");
        };
    }

    public GemmaEngine load(Path folder, Path profilePrefix, Kernels kernels, Head head) {
        if (!Files.exists(folder)) throw new UserException(ExitCodes.USAGE, "no such model folder: " + folder);
        Dtype d;
        try {
            d = dtype == null ? null : Dtype.parse(dtype);
        } catch (ModelException e) {
            throw new UserException(ExitCodes.USAGE, e.getMessage());
        }
        try {
            return GemmaEngine.load(folder, d, threads, profilePrefix, kernels, head);
        } catch (ModelException e) {
            // A folder that is not a (usable) model is a wrong argument, like one that does not exist.
            throw new UserException(ExitCodes.USAGE, e.getMessage());
        }
    }
}
