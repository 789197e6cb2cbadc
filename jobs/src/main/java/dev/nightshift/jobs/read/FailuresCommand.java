package dev.nightshift.jobs.read;

import dev.nightshift.jobs.cli.DataOptions;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.jobs.cli.UserException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.store.SegmentRows;
import dev.nightshift.pipeline.store.SegmentRows.SegmentFile;
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

    @Option(names = "--segments", description = "List the segments of files translated in their own format that their check "
            + "flagged (a number or link missing, a glossary term not used, codes moved, untranslated, length) instead.")
    boolean segments;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (reason != null && StatusQueries.FAILURE_STATUSES.stream().noneMatch(reason.strip()::equalsIgnoreCase)) {
            throw new UserException(ExitCodes.USAGE, Terminal.line("--reason " + reason + " is not a status failures can list; they are: "
                    + String.join(", ", StatusQueries.FAILURE_STATUSES)));
        }
        if (segments) return segments();
        List<FailureRecord> failures = data.read(store -> new StatusQueries(store).failures(reason == null ? null : reason.strip()));
        List<SegmentFile> flagged = format == Format.text ? data.read(store -> new SegmentRows(store).flagged()) : List.of();
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
                long count = flagged.stream().mapToLong(f -> f.segments().size()).sum();
                if (count > 0) out.println(count + " flagged segments in " + flagged.size() + " translated files: failures --segments lists them");
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The flagged segments of the files written in their own format, newest writing of each. */
    private Integer segments() throws Exception {
        if (reason != null) throw new UserException(ExitCodes.USAGE, "--reason and --segments do not go together");
        List<SegmentFile> files = data.read(store -> new SegmentRows(store).flagged());
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (SegmentFile f : files) {
            for (SegmentRows.Segment s : f.segments()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("path", f.locator());
                row.put("file", f.targetFile());
                row.put("segment", s.seq());
                row.put("issues", json.readTree(s.issues()));
                row.put("source", s.source());
                row.put("translation", s.translation());
                rows.add(row);
            }
        }
        switch (format) {
            case json -> out.println(json.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
            case csv -> {
                out.print(Csv.row("path", "file", "segment", "issues", "source", "translation"));
                rows.forEach(r -> out.print(Csv.row(r.get("path"), r.get("file"), r.get("segment"), r.get("issues").toString(), r.get("source"),
                        r.get("translation"))));
            }
            case text -> {
                String last = null;
                for (Map<String, Object> r : rows) {
                    if (!r.get("path").equals(last)) out.println(Terminal.line((String) r.get("path")) + " -> " + Terminal.line((String) r.get("file")));
                    last = (String) r.get("path");
                    StringBuilder issues = new StringBuilder();
                    for (JsonNode i : (JsonNode) r.get("issues")) {
                        issues.append(issues.isEmpty() ? "" : "; ").append(i.get("issue").asText()).append(' ').append(i.get("detail").asText());
                    }
                    out.println("    segment " + r.get("segment") + ": " + Terminal.line(issues.toString()));
                    out.println("      " + Terminal.line((String) r.get("source")));
                    out.println("      " + Terminal.line((String) r.get("translation")));
                }
                out.println(rows.size() + (rows.size() == 1 ? " flagged segment" : " flagged segments"));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
