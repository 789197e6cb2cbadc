package dev.nightshift.jobs.run;

import dev.nightshift.jobs.cli.DataOptions;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.jobs.cli.UserException;

import dev.nightshift.pipeline.job.TaskSpec;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.BatchingGenerator;
import dev.nightshift.pipeline.llm.Generator;
import dev.nightshift.pipeline.summarize.SummaryStyle;
import dev.nightshift.pipeline.image.ImageDescriber;
import dev.nightshift.pipeline.task.DocumentTask;
import dev.nightshift.pipeline.task.ResultCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "summarize", description = "Extract, chunk and summarize every file under the given paths; "
        + "store everything with its provenance. Unchanged documents from earlier runs are skipped.")
public final class SummarizeCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders (walked recursively).")
    List<Path> paths;

    @Option(names = "--model", paramLabel = "DIR", description = "A Gemma ONNX model folder. Without it, "
            + "summaries are extractive (TextRank).")
    Path model;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    IngestOptions ingest;

    @Option(names = "--vision-model", paramLabel = "DIR", description = "A Gemma 4 folder with a vision encoder that describes "
            + "pictures (image files and the pictures inside documents) while --model (or TextRank) summarizes text. "
            + "Without it, a --model that can see describes them itself.")
    Path visionModel;

    @Option(names = "--images", paramLabel = "MODE", defaultValue = "describe",
            description = "describe: a vision model describes and labels pictures (when there is one); record: pictures are "
                    + "only recorded with their size, format, date and camera (default: ${DEFAULT-VALUE}).")
    String images;

    @Option(names = "--context-budget", paramLabel = "TOKENS", defaultValue = "2048",
            description = "With --model: most tokens per model call, prompt + chunk + summary (default: ${DEFAULT-VALUE}).")
    int contextBudget;

    @Option(names = "--overlap", paramLabel = "TOKENS", defaultValue = "0",
            description = "With --model: repeat this many tokens of the previous chunk at the start of each chunk (default: ${DEFAULT-VALUE}).")
    int overlap;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8",
            description = "With --model: most requests generated together, from any documents (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--style", defaultValue = "paragraph", description = "paragraph or bullets (default: ${DEFAULT-VALUE}).")
    String style;

    @Option(names = "--language", paramLabel = "LANG",
            description = "With --model: write summaries in this language (e.g. en, de); default: each document's own.")
    String language;

    @Option(names = "--words", paramLabel = "N", defaultValue = "120", description = "Summary length in words (default: ${DEFAULT-VALUE}).")
    int words;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Path> roots = ingest.validate(paths);
        if (words < 5) throw new UserException(ExitCodes.USAGE, "--words must be at least 5");
        summaryStyle();
        if (language != null && model == null) {
            throw new UserException(ExitCodes.USAGE, "--language needs --model: an extractive summary can only quote the document");
        }
        outputLanguage();
        if (overlap != 0 && model == null) throw new UserException(ExitCodes.USAGE, "--overlap needs --model");
        if (!images.equals("describe") && !images.equals("record")) {
            throw new UserException(ExitCodes.USAGE, "--images must be describe or record, not '" + Terminal.line(images) + "'");
        }
        if (visionModel != null && images.equals("record")) throw new UserException(ExitCodes.USAGE, "--vision-model with --images record: choose one");
        // The extraction processes start while the model loads.
        JobRun run = new JobRun(spec, "summarize", data, ingest).announce(roots, model);
        if (model != null || visionModel != null) run.startExtraction();
        GemmaEngine engine = null;
        GemmaEngine seeing = null;
        BatchingGenerator generator = null;
        BatchingGenerator visionGenerator = null;
        try {
            if (model != null) engine = modelOptions.load(model);
            if (engine != null) generator = modelOptions.sharedGenerator(engine, batchSize);
            BatchingGenerator shared = generator;
            ImageDescriber describer = null;
            if (visionModel != null) {
                seeing = modelOptions.load(visionModel);
                if (!seeing.seesImages()) {
                    throw new UserException(ExitCodes.USAGE, Terminal.line(visionModel.toString())
                            + " has no vision encoder (onnx/vision_encoder*.onnx): it cannot describe pictures");
                }
                visionGenerator = modelOptions.sharedGenerator(seeing, batchSize);
                describer = new ImageDescriber(seeing, visionGenerator, IMAGE_TOKENS);
            } else if (engine != null && engine.seesImages() && images.equals("describe")) {
                describer = new ImageDescriber(engine, shared, IMAGE_TOKENS);
            }
            if (engine != null) modelSummarizer(engine, shared, ResultCache.NONE); // bad settings fail before the database is touched
            // Model summaries reuse earlier generations of identical chunks under the same task (result cache).
            run.describingImages(describer);
            if (engine != null) run.noting(ModelOptions.batchingNote(engine));
            if (seeing != null) run.noting(ModelOptions.batchingNote(seeing));
            if (engine != null) engine.cancelWhen(() -> run.stopSignal().requestedLongerThan(JobRun.CANCEL_AFTER));
            if (seeing != null) seeing.cancelWhen(() -> run.stopSignal().requestedLongerThan(JobRun.CANCEL_AFTER));
            GemmaEngine summarizing = engine;
            return run.execute(roots,
                    store -> summarizing == null ? taskSpec().build(null, null, contextBudget, store::cachedOutput) : modelSummarizer(summarizing, shared, store::cachedOutput),
                    (store, report) -> { });
        } finally {
            run.abandon();
            if (generator != null) generator.close();
            if (visionGenerator != null) visionGenerator.close();
            if (engine != null) engine.close();
            if (seeing != null) seeing.close();
        }
    }

    /** Most tokens of a picture's description: two sentences and a label line. */
    static final int IMAGE_TOKENS = 96;

    private DocumentTask modelSummarizer(GemmaEngine engine, Generator generator, ResultCache cache) {
        try {
            return taskSpec().build(engine, generator, contextBudget, cache);
        } catch (IllegalArgumentException e) {
            throw new UserException(ExitCodes.USAGE, e.getMessage());
        }
    }

    private SummaryStyle summaryStyle() {
        for (SummaryStyle s : SummaryStyle.values()) if (s.cliName().equalsIgnoreCase(style)) return s;
        throw new UserException(ExitCodes.USAGE, "--style must be paragraph or bullets, not '" + style + "'");
    }

    /** The task as Spark takes it too: the same options, the same task key. */
    private TaskSpec taskSpec() {
        return TaskSpec.summary(words, summaryStyle(), outputLanguage(), overlap);
    }

    private Locale outputLanguage() {
        return language == null ? null : LanguageOption.parse("--language", language);
    }
}
