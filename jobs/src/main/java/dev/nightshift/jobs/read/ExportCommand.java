package dev.nightshift.jobs.read;

import dev.nightshift.jobs.cli.DataOptions;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Outputs;

import dev.nightshift.connectors.export.ExportFormat;
import dev.nightshift.connectors.export.ExportWriter;
import dev.nightshift.pipeline.store.OutputQueries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "export", description = "Write every output with its provenance (source path, document SHA-256, "
        + "parser, chunk span, method or model, prompt version, parameters, run id).")
public final class ExportCommand implements Callable<Integer>, DataOptions.ReadsOnly {
    enum Format { jsonl, csv, md }

    @Mixin
    DataOptions data;

    @Option(names = "--format", required = true, description = "jsonl, csv or md.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of standard output.")
    Path out;

    @Option(names = "--all-levels", description = "Also export the intermediate outputs of map-reduce trees.")
    boolean allLevels;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        data.existingDatabase(); // before anything else: reading never creates a database
        ExportFormat exportFormat = ExportFormat.valueOf(format.name().toUpperCase());
        AtomicLong count = new AtomicLong();
        data.read(store -> {
            OutputQueries outputs = new OutputQueries(store);
            if (out == null) {
                Writer w = spec.commandLine().getOut();
                write(outputs, exportFormat, w, count);
            } else {
                Path target = Outputs.write(out, w -> write(outputs, exportFormat, w, count));
                spec.commandLine().getErr().println("nightshift: exported " + count.get() + " outputs to " + target);
            }
            return null;
        });
        return ExitCodes.OK;
    }

    private void write(OutputQueries outputs, ExportFormat exportFormat, Writer w, AtomicLong count) throws IOException {
        try (ExportWriter writer = exportFormat.open(w)) {
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
