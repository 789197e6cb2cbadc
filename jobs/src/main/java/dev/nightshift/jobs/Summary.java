package dev.nightshift.jobs;

import dev.nightshift.pipeline.run.RunReport;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** The one-screen report at the end of a run. */
final class Summary {
    private static final int MAX_LISTED_FAILURES = 20;

    private Summary() {
    }

    static void print(PrintWriter out, String command, RunReport r, List<Progress.Failure> failures, Path database) {
        out.printf("%nnightshift %s: %s in %s (run %d)%n", command, r.interrupted() ? "interrupted" : "finished",
                human(r.elapsed()), r.runId());
        out.printf("  documents seen      %d%n", r.discovered());
        if (r.entries() > 0) out.printf("  found inside them   %d  (archive entries, attachments)%n", r.entries());
        out.printf("  extracted           %d%n", r.extracted());
        out.printf("  %-19s %d%n", command.equals("translate") ? "translated" : "summarized", r.done());
        if (r.cutShort() > 0) {
            out.printf("  cut short           %d  (outputs that reached their token limit; finish_reason=length in export)%n", r.cutShort());
        }
        out.printf("  skipped (unchanged) %d%s%n", r.skipped(), command.equals("translate") ? "  (or already in the target language)" : "");
        out.printf("  failed              %d%s%n", r.failed(), r.failuresByStatus().isEmpty() ? "" : "  ("
                + r.failuresByStatus().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + ")");
        if (!failures.isEmpty()) {
            out.println();
            out.println("Failed documents (each is recorded with its reason):");
            failures.stream().limit(MAX_LISTED_FAILURES)
                    .forEach(f -> out.println("  " + f.locator() + "\n      " + f.reason()));
            if (failures.size() > MAX_LISTED_FAILURES) {
                out.println("  ... and " + (failures.size() - MAX_LISTED_FAILURES) + " more: nightshift status");
            }
        }
        if (r.interrupted()) {
            out.println();
            out.println("The run was interrupted; finished documents are stored. Run the same command again to do the rest.");
        }
        String dbOption = database.equals(DataOptions.dataFolder().resolve("nightshift")) ? "" : " --db " + database;
        String self = System.getenv().getOrDefault("NIGHTSHIFT_COMMAND", "nightshift");
        out.println();
        out.println("Results are in " + database + ".mv.db. To look at them:");
        out.printf("  %-48s what is stored%n", self + " status" + dbOption);
        String what = command.equals("translate") ? "translation" : "summary";
        out.printf("  %-48s a document's %s and where it came from%n", self + " show FILE" + dbOption, what);
        out.printf("  %-48s every %s with its provenance (or jsonl, csv)%n", self + " export --format md" + dbOption, what);
        out.flush();
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) return String.format("%.1f s", d.toMillis() / 1000.0);
        if (s < 3600) return String.format("%d min %d s", s / 60, s % 60);
        return String.format("%d h %d min", s / 3600, (s % 3600) / 60);
    }
}
