package dev.nightshift.spark;

import dev.nightshift.pipeline.llm.BatchingGenerator;
import dev.nightshift.pipeline.llm.model.Dtype;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.Generator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The model of an executor JVM: loaded by the first partition that needs it and shared by every partition
 * the executor runs after, never per file or per partition; one batching generator serves the partitions
 * running at once, as it serves the documents of a local run.
 */
final class ExecutorModel {
    record Loaded(GemmaEngine engine, Generator generator) {
    }

    private static final Map<String, Loaded> LOADED = new HashMap<>();

    private ExecutorModel() {
    }

    static synchronized Loaded get(String folder, String dtype, int batch) {
        String key = folder + "|" + dtype + "|" + batch;
        Loaded l = LOADED.get(key);
        if (l != null) return l;
        Path path = Path.of(folder);
        if (!Files.isDirectory(path)) {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "this executor";
            }
            throw new IllegalStateException("the model folder " + folder + " is not on " + host
                    + ": give --model a path every executor can read (a shared folder), or ship it with spark-submit --archives");
        }
        GemmaEngine engine = GemmaEngine.load(path, dtype == null ? null : Dtype.parse(dtype), 0);
        BatchingGenerator generator = new BatchingGenerator(engine, batch, 1024L * 1024 * 1024);
        l = new Loaded(engine, generator);
        LOADED.put(key, l);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            generator.close();
            engine.close();
        }));
        return l;
    }
}
