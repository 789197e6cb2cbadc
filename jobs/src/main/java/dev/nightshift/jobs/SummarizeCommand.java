package dev.nightshift.jobs;

import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.SamplingParams;
import dev.nightshift.pipeline.summarize.ModelSummarizer;
import dev.nightshift.pipeline.llm.BatchingGenerator;
import dev.nightshift.pipeline.llm.Generator;
import dev.nightshift.pipeline.summarize.SummaryStyle;
import dev.nightshift.pipeline.summarize.TextRankSummarizer;
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
final class SummarizeCommand implements Callable<Integer> {

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
        GemmaEngine engine = model == null ? null : modelOptions.load(model);
        BatchingGenerator generator = null;
        try {
            if (engine != null) generator = modelOptions.sharedGenerator(engine, batchSize);
            BatchingGenerator shared = generator;
            if (engine != null) modelSummarizer(engine, shared, ResultCache.NONE); // bad settings fail before the database is touched
            // Model summaries reuse earlier generations of identical chunks under the same task (result cache).
            JobRun run = new JobRun(spec, "summarize", data, ingest);
            if (engine != null) engine.cancelWhen(() -> run.stopSignal().requestedLongerThan(JobRun.CANCEL_AFTER));
            return run.execute(roots,
                    store -> engine == null ? new TextRankSummarizer(words, summaryStyle()) : modelSummarizer(engine, shared, store::cachedOutput),
                    (store, report) -> { });
        } finally {
            if (generator != null) generator.close();
            if (engine != null) engine.close();
        }
    }

    private DocumentTask modelSummarizer(GemmaEngine engine, Generator generator, ResultCache cache) {
        try {
            return new ModelSummarizer(engine, words, summaryStyle(), outputLanguage(), contextBudget, generator,
                    SamplingParams.GREEDY, cache).withOverlap(overlap);
        } catch (IllegalArgumentException e) {
            throw new UserException(ExitCodes.USAGE, e.getMessage());
        }
    }

    private SummaryStyle summaryStyle() {
        for (SummaryStyle s : SummaryStyle.values()) if (s.cliName().equalsIgnoreCase(style)) return s;
        throw new UserException(ExitCodes.USAGE, "--style must be paragraph or bullets, not '" + style + "'");
    }

    private Locale outputLanguage() {
        return language == null ? null : LanguageOption.parse("--language", language);
    }
}
