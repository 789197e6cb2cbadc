package dev.nightshift.jobs.read;

import dev.nightshift.jobs.cli.DataOptions;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.jobs.cli.UserException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nightshift.connectors.export.Csv;
import dev.nightshift.pipeline.store.FailureRecord;
import dev.nightshift.pipeline.store.StatusQueries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "failures", description = "List the documents that failed (or whose text was cut off) with their "
        + "status, reason and run, as they stand now.")
public final class FailuresCommand implements Callable<Integer>, DataOptions.ReadsOnly {
    enum Format { text, json, csv }

    @Mixin
    DataOptions data;

    @Option(names = "--reason", paramLabel = "R", description = "Only this status: PARSE_ERROR, ENCRYPTED, EMPTY, NOT_TEXT, "
            + "TIMEOUT, PARTIAL, UNREADABLE, SUMMARIZE... (an unknown one is refused with the list).")
    String reason;

    @Option(names = "--format", defaultValue = "text", description = "text, json or csv (default: ${DEFAULT-VALUE}).")
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (reason != null && StatusQueries.FAILURE_STATUSES.stream().noneMatch(reason.strip()::equalsIgnoreCase)) {
            throw new UserException(ExitCodes.USAGE, Terminal.line("--reason " + reason + " is not a status failures can list; they are: "
                    + String.join(", ", StatusQueries.FAILURE_STATUSES)));
        }
        List<FailureRecord> failures = data.read(store -> new StatusQueries(store).failures(reason == null ? null : reason.strip()));
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case json -> {
                List<Map<String, Object>> rows = failures.stream().map(f -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("path", f.locator());
                    row.put("status", f.status());
                    row.put("reason", f.reason());
                    row.put("run", f.runId());
                    return row;
                }).toList();
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
            }
            case csv -> {
                out.print(Csv.row("path", "status", "reason", "run"));
                failures.forEach(f -> out.print(Csv.row(f.locator(), f.status(), f.reason(), f.runId())));
            }
            case text -> {
                for (FailureRecord f : failures) {
                    out.println(Terminal.line(f.locator()));
                    out.println("    " + f.status() + " (run " + f.runId() + "): " + Terminal.line(f.reason()));
                }
                out.println(failures.size() + (failures.size() == 1 ? " document" : " documents")
                        + (reason == null ? "" : " with status " + reason.strip().toUpperCase(java.util.Locale.ROOT)));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
