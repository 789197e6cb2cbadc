package dev.nightshift.jobs.read;

import dev.nightshift.jobs.cli.DataOptions;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Outputs;
import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.jobs.cli.UserException;
import dev.nightshift.connectors.export.ParquetExportWriter;
import dev.nightshift.connectors.formats.ReviewXliff;
import dev.nightshift.pipeline.store.FieldRows;
import dev.nightshift.pipeline.store.SegmentRows;

import dev.nightshift.connectors.export.ExportFormat;
import dev.nightshift.connectors.export.OutputFile;
import dev.nightshift.connectors.export.ExportWriter;
import dev.nightshift.pipeline.store.OutputQueries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "export", description = "Write every output with its provenance (source path, document SHA-256, "
        + "parser, chunk span, method or model, prompt version, parameters, run id); or, with --format xliff, the segments "
        + "of the files translate wrote in their own format, as XLIFF 2.0 for a CAT tool.")
public final class ExportCommand implements Callable<Integer>, DataOptions.ReadsOnly {
    enum Format { jsonl, csv, md, xliff, parquet }

    @Mixin
    DataOptions data;

    @Option(names = "--format", required = true, description = "jsonl, csv, md, parquet (with --out) or xliff.")
    Format format;

    @Option(names = "--to", paramLabel = "LANG", description = "With xliff: the translations into this language (needed when there are several).")
    String to;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of standard output.")
    Path out;

    @Option(names = "--all-levels", description = "Also export the intermediate outputs of map-reduce trees.")
    boolean allLevels;

    @Option(names = "--fields", description = "The fields extract read: a row per document and a column per top-level field "
            + "(csv; parquet, typed, with --out), or each document's object with every value's evidence (jsonl).")
    boolean fields;

    @Option(names = "--schema", paramLabel = "NAME", description = "With --fields: the schema's results (its file's name, e.g. invoice), "
            + "needed when the database holds several.")
    String schemaName;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        data.existingDatabase(); // before anything else: reading never creates a database
        if (fields) return fields();
        if (schemaName != null) throw new UserException(ExitCodes.USAGE, "--schema goes with --fields");
        if (format == Format.xliff) return xliff();
        if (to != null) throw new UserException(ExitCodes.USAGE, "--to goes with --format xliff");
        if (format == Format.parquet && out == null)
            throw new UserException(ExitCodes.USAGE, "--format parquet writes a binary file: give --out FILE (e.g. --out outputs.parquet)");
        // Parquet is written by its own writer, to a file only; the text formats by ExportFormat's.
        ExportFormat text = format == Format.parquet ? null : ExportFormat.valueOf(format.name().toUpperCase());
        AtomicLong count = new AtomicLong();
        data.read(store -> {
            OutputQueries outputs = new OutputQueries(store);
            if (out == null) {
                write(outputs, text.open(spec.commandLine().getOut()), count);
                return null;
            }
            Path target = text == null ? Outputs.writeBinary(out, o -> write(outputs, new ParquetExportWriter(o), count))
                    : Outputs.write(out, w -> write(outputs, text.open(w), count));
            spec.commandLine().getErr().println("nightshift: exported " + count.get() + " outputs to " + target);
            return null;
        });
        return ExitCodes.OK;
    }

    /** Every document's fields under one extract task. */
    private Integer fields() throws IOException {
        if (format != Format.csv && format != Format.jsonl && format != Format.parquet)
            throw new UserException(ExitCodes.USAGE, "--fields goes with --format csv, jsonl or parquet");
        if (format == Format.parquet && out == null)
            throw new UserException(ExitCodes.USAGE, "--format parquet writes a binary file: give --out FILE (e.g. --out fields.parquet)");
        long written = data.read(store -> {
            FieldRows rows = new FieldRows(store);
            List<String> tasks = rows.tasks();
            if (tasks.isEmpty()) throw new UserException(ExitCodes.USAGE, "no fields in this database: run nightshift extract first");
            String task = schemaName != null ? "extract:" + schemaName : tasks.size() == 1 ? tasks.get(0) : null;
            if (task == null || !tasks.contains(task)) {
                throw new UserException(ExitCodes.USAGE, (schemaName == null ? "fields of several schemas: " : "no fields of the schema " + Terminal.line(schemaName) + ": ")
                        + "give --schema with one of " + String.join(", ", tasks.stream().map(t -> t.substring("extract:".length())).toList()));
            }
            long[] n = new long[1];
            if (format == Format.parquet) {
                Outputs.writeBinary(out, o -> n[0] = FieldsExport.parquet(rows, task, o));
                return n[0];
            }
            OutputFile.Body body = w -> n[0] = format == Format.csv ? FieldsExport.csv(rows, task, w) : FieldsExport.jsonl(rows, task, w);
            if (out == null) body.write(spec.commandLine().getOut());
            else Outputs.write(out, body);
            return n[0];
        });
        if (out != null) spec.commandLine().getErr().println("nightshift: exported the fields of " + written + " documents to " + out.toAbsolutePath());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** The segments of the files written in their own format into one language, as one XLIFF 2.0 document. */
    private Integer xliff() throws IOException {
        long[] segments = new long[1];
        int files = data.read(store -> {
            SegmentRows rows = new SegmentRows(store);
            List<String> languages = rows.targetLanguages();
            if (languages.isEmpty()) {
                throw new UserException(ExitCodes.USAGE, "no file was translated in its own format into this database (translate, --format same)");
            }
            String language = to != null ? to : languages.size() == 1 ? languages.get(0) : null;
            if (language == null || !languages.contains(language)) {
                throw new UserException(ExitCodes.USAGE, (to == null ? "translations into several languages: " : "no translation into " + to + ": ")
                        + "give --to with one of " + String.join(", ", languages));
            }
            List<String> sources = rows.sourceLanguages(language);
            String source = sources.size() == 1 && sources.get(0) != null ? sources.get(0) : "und";
            OutputFile.Body body = w -> {
                try (ReviewXliff x = new ReviewXliff(w, source, language)) {
                    rows.files(language, f -> {
                        x.add(f);
                        segments[0] += f.segments().size();
                    });
                }
            };
            if (out == null) {
                body.write(spec.commandLine().getOut());
            } else {
                Outputs.write(out, body);
            }
            return (int) Math.min(Integer.MAX_VALUE, segments[0]);
        });
        if (out != null) spec.commandLine().getErr().println("nightshift: exported " + files + " segments to " + out.toAbsolutePath());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private void write(OutputQueries outputs, ExportWriter opened, AtomicLong count) throws IOException {
        try (ExportWriter writer = opened) {
            outputs.export(allLevels, r -> {
                try {
                    writer.write(r);
                    count.incrementAndGet();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
