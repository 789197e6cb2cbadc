package dev.nightshift.jobs.run;

import dev.nightshift.jobs.cli.DataOptions;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.jobs.cli.UserException;
import dev.nightshift.pipeline.extract.ExtractionSchema;
import dev.nightshift.pipeline.extract.SchemaException;
import dev.nightshift.pipeline.extract.SchemaExtractor;
import dev.nightshift.pipeline.llm.BatchingGenerator;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.job.TaskSpec;
import dev.nightshift.pipeline.store.FieldRows;
import dev.nightshift.pipeline.task.DocumentTask;
import dev.nightshift.pipeline.task.ResultCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "extract", description = "Read the fields a JSON schema names out of every file under the given paths: "
        + "output that follows the schema by construction, each value stored with where the text says it (or flagged "
        + "not_in_source). Unchanged documents from earlier runs are skipped.")
public final class ExtractCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders (walked recursively).")
    List<Path> paths;

    @Option(names = "--schema", required = true, paramLabel = "FILE", description = "A JSON schema (object, string with enum, "
            + "format date or maxLength, number, integer, boolean, array, nested objects, required, description).")
    Path schemaFile;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A Gemma ONNX model folder.")
    Path model;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    IngestOptions ingest;

    @Option(names = "--context-budget", paramLabel = "TOKENS", defaultValue = "2048",
            description = "Most tokens per model call, prompt + chunk + fields (default: ${DEFAULT-VALUE}).")
    int contextBudget;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "512",
            description = "Most tokens of one chunk's fields (default: ${DEFAULT-VALUE}); the JSON is always closed within them.")
    int maxTokens;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8",
            description = "Most requests generated together, from any documents (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Path> roots = ingest.validate(paths);
        ExtractionSchema schema = schema(schemaFile);
        JobRun run = new JobRun(spec, "extract", data, ingest).announce(roots, model);
        run.startExtraction();
        GemmaEngine engine = null;
        BatchingGenerator generator = null;
        try {
            engine = modelOptions.load(model);
            generator = modelOptions.sharedGenerator(engine, batchSize);
            DocumentTask extractor;
            long compiling = System.nanoTime();
            try {
                extractor = TaskSpec.extraction(schema, maxTokens).build(engine, generator, contextBudget, ResultCache.NONE);
            } catch (IllegalArgumentException e) {
                throw new UserException(ExitCodes.USAGE, e.getMessage());
            }
            if (extractor instanceof SchemaExtractor compiled) {
                // Compiling the schema and computing its masks takes seconds with a real vocabulary: said, not left silent.
                var stats = compiled.constraint().stats();
                spec.commandLine().getErr().printf(java.util.Locale.ROOT, "nightshift extract: schema %s compiled for the model in %.1f s "
                                + "(%,d automaton states sharing %,d token masks, %.0f MB); the shortest object takes %d tokens of --max-tokens %d%n",
                        Terminal.line(schema.name()), (System.nanoTime() - compiling) / 1e9, stats.states(), stats.classes(),
                        stats.keptBytes() / 1048576.0, compiled.constraint().shortest(), maxTokens);
                spec.commandLine().getErr().flush();
            }
            run.noting(ModelOptions.batchingNote(engine));
            engine.cancelWhen(() -> run.stopSignal().requestedLongerThan(JobRun.CANCEL_AFTER));
            return run.execute(roots, store -> extractor, (store, report) -> {
                long[] counts = new FieldRows(store).counts(report.runId());
                if (counts[0] > 0) run.noting(counts[0] + " values read: " + counts[1] + " found in their text, " + counts[2]
                        + " not_in_source (show FILE lists them with their evidence)");
            });
        } finally {
            run.abandon();
            if (generator != null) generator.close();
            if (engine != null) engine.close();
        }
    }

    /** The schema file, or a usage error naming what is wrong with it. */
    public static ExtractionSchema schema(Path file) {
        if (!Files.isRegularFile(file)) throw new UserException(ExitCodes.USAGE, "--schema: no such file: " + Terminal.line(file.toString()));
        try {
            return ExtractionSchema.read(file);
        } catch (SchemaException e) {
            throw new UserException(ExitCodes.USAGE, Terminal.line(file.toString()) + ": " + Terminal.safe(e.getMessage()));
        } catch (IOException e) {
            throw new UserException(ExitCodes.USAGE, "--schema " + Terminal.line(file.toString()) + " is not JSON: " + Terminal.line(e.getMessage()));
        }
    }
}
