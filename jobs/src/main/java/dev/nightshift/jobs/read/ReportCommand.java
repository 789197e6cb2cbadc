package dev.nightshift.jobs.read;

import dev.nightshift.jobs.cli.DataLayout;
import dev.nightshift.jobs.cli.DataOptions;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Outputs;
import dev.nightshift.jobs.cli.Terminal;

import dev.nightshift.connectors.report.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "report", description = "Write the database as one self-contained HTML file (totals, charts of the night, "
        + "failures, every document with its summary or translation and lineage). It needs no network: open it anywhere.")
public final class ReportCommand implements Callable<Integer>, DataOptions.ReadsOnly {
    @Mixin
    DataOptions data;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write it (default: beside the database, <db>.report.html).")
    Path out;

    @Option(names = "--run", paramLabel = "N", description = "The run whose throughput is charted (default: the latest).")
    Long run;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path base = data.existingDatabase();
        Path target = out != null ? out : DataLayout.of(base).report();
        data.read(store -> {
            Outputs.write(target, w -> HtmlReport.write(store, Path.of(base + ".mv.db"), run, w));
            return null;
        });
        spec.commandLine().getOut().println("Report: " + Terminal.safe(target.toAbsolutePath().toString()));
        return ExitCodes.OK;
    }
}
