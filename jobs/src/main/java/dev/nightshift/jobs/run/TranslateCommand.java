package dev.nightshift.jobs.run;

import dev.nightshift.jobs.cli.DataOptions;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.UserException;

import dev.nightshift.pipeline.task.DocumentTask;
import dev.nightshift.pipeline.job.TaskSpec;
import dev.nightshift.pipeline.store.OutputQueries;
import dev.nightshift.pipeline.store.SegmentRows;
import dev.nightshift.connectors.export.TranslatedFiles;
import dev.nightshift.connectors.formats.Glossary;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.store.Store;
import dev.nightshift.pipeline.task.ResultCache;
import dev.nightshift.pipeline.translate.ModelTranslator;
import dev.nightshift.pipeline.llm.BatchingGenerator;
import dev.nightshift.pipeline.llm.Generator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "translate", description = "Extract every file under the given paths, translate it with a Gemma model "
        + "keeping its paragraphs, headings and lists, store the translations with their provenance and write each "
        + "file in its own format where nightshift can (OUT/<relative path>.<lang>.<ending>), else "
        + "OUT/<relative path>.<lang>.md. Documents already in the target language are kept as they are.")
public final class TranslateCommand implements Callable<Integer> {
    private static final Logger log = LogManager.getLogger(TranslateCommand.class);

    @Mixin
    DataOptions data;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders (walked recursively).")
    List<Path> paths;

    @Option(names = "--to", required = true, paramLabel = "LANG", description = "The language to translate into, e.g. de, fr, en.")
    String to;

    @Option(names = "--from", paramLabel = "LANG", defaultValue = "auto",
            description = "The documents' language, or auto to detect it per document (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A Gemma ONNX model folder: TranslateGemma, or any instruction-tuned Gemma.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the translated files are written.")
    Path out;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--context-budget", paramLabel = "TOKENS", defaultValue = "2048",
            description = "Most tokens per model call, prompt + text + translation (default: ${DEFAULT-VALUE}; TranslateGemma reads 2K).")
    int contextBudget;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8",
            description = "Most paragraphs translated together, from any documents (default: ${DEFAULT-VALUE}).")
    int batchSize;

    enum Format { same, md }

    @Option(names = "--format", defaultValue = "same", paramLabel = "same|md",
            description = "same: each file in its own format where nightshift can write it back (DOCX, PPTX, XLSX, ODT, ODS, "
                    + "ODP, HTML, Markdown, text, SRT, VTT: report.docx -> report.de.docx), Markdown for the rest; md: Markdown "
                    + "for every document (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--glossary", paramLabel = "FILE",
            description = "Terms to translate as given: a CSV or TSV file of source term, target term, optional note (an empty "
                    + "target keeps the term). Asked for in every segment that holds a term, and checked.")
    Path glossaryFile;

    @Option(names = "--keep", paramLabel = "TERM", description = "A term to keep as it is (repeatable), e.g. a product name.")
    List<String> keep = new ArrayList<>();

    @Mixin
    IngestOptions ingest;

    @Spec
    CommandSpec spec;

    /** Translations that could not be written to --out (each is printed and logged). */
    private long writeFailures;

    @Override
    public Integer call() throws Exception {
        List<Path> roots = ingest.validate(paths);
        Locale target = LanguageOption.parse("--to", to);
        Locale source = from.equalsIgnoreCase("auto") ? null : LanguageOption.parse("--from", from);
        Path outFolder = out.toAbsolutePath().normalize();
        if (Files.exists(outFolder) && !Files.isDirectory(outFolder)) {
            throw new UserException(ExitCodes.USAGE, "--out must be a folder, and " + out + " is a file");
        }
        for (Path root : roots) {
            if (Files.isDirectory(root) && outFolder.startsWith(root)) {
                // Translations inside the input would be read as input by the next run.
                throw new UserException(ExitCodes.USAGE, "--out " + out + " lies inside the input " + root + "; choose a folder outside it");
            }
        }
        Glossary glossary = glossary();
        TranslatedFiles files = new TranslatedFiles(outFolder, roots, target.toLanguageTag());
        // The extraction processes start while the model loads.
        JobRun run = new JobRun(spec, "translate", data, ingest).announce(roots, model).startExtraction();
        try (GemmaEngine engine = modelOptions.load(model);
             BatchingGenerator generator = modelOptions.sharedGenerator(engine, batchSize)) {
            DocumentTask plain = translator(engine, generator, target, source, ResultCache.NONE); // bad settings fail before the database is touched
            if (plain instanceof ModelTranslator t && t.usesTranslateGemmaPrompt()) log.info("{} is a TranslateGemma model: its own prompt format is used", model);
            run.noting(ModelOptions.batchingNote(engine));
            engine.cancelWhen(() -> run.stopSignal().requestedLongerThan(JobRun.CANCEL_AFTER));
            int code = run.execute(roots,
                    store -> translator(engine, generator, target, source, store::cachedOutput),
                    (store, report) -> writeFiles(store, report.runId(), files, (ModelTranslator) plain, target, source, glossary,
                            run.stopSignal()::requested));
            return code == ExitCodes.OK && writeFailures > 0 ? ExitCodes.SOME_FAILED : code;
        } finally {
            run.abandon();
        }
    }

    /** The glossary file's terms and the --keep ones; a file that is not one is a usage error, said with its line. */
    private Glossary glossary() {
        if (glossaryFile != null && !Files.isRegularFile(glossaryFile)) {
            throw new UserException(ExitCodes.USAGE, "--glossary " + glossaryFile + ": no such file");
        }
        try {
            Glossary g = Glossary.load(glossaryFile, keep);
            if (g.size() > 0 && format == Format.md) {
                throw new UserException(ExitCodes.USAGE, "--glossary and --keep apply to files written in their own format; drop --format md");
            }
            return g;
        } catch (IOException e) {
            throw new UserException(ExitCodes.USAGE, "--glossary " + glossaryFile + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserException(ExitCodes.USAGE, "--glossary: " + e.getMessage());
        }
    }

    private DocumentTask translator(GemmaEngine engine, Generator generator, Locale target, Locale source, ResultCache cache) {
        try {
            return TaskSpec.translation(target, source).build(engine, generator, contextBudget, cache);
        } catch (IllegalArgumentException e) {
            throw new UserException(ExitCodes.USAGE, e.getMessage());
        }
    }

    /**
     * Writes the file of every document under the given paths that has a translation under this task,
     * from this run or an earlier one: an unchanged rerun with another --out fills that folder too.
     */
    private void writeFiles(Store store, long runId, TranslatedFiles files, ModelTranslator translator, Locale target, Locale source,
                            Glossary glossary, java.util.function.BooleanSupplier stopping) {
        // Files translated at once: half a batch of them, so that their segments fill the shared generator's batches.
        try (TranslationWriter writer = new TranslationWriter(files, format == Format.same, target, glossary,
                from -> (segments, terms, strict) -> translator.translateSegments(segments, terms, from, strict),
                new SegmentRows(store), runId, translator.task().key(), Math.max(2, Math.min(8, batchSize / 2)), stopping, spec.commandLine().getErr())) {
            new OutputQueries(store).finalOutputs(translator.task().key(), o -> writer.write(o, source));
            writer.finish();
            spec.commandLine().getErr().flush();
            writer.printSummary(spec.commandLine().getOut());
            writeFailures = writer.failures();
        }
    }
}
