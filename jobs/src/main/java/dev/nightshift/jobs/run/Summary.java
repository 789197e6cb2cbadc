package dev.nightshift.jobs.run;

import dev.nightshift.jobs.cli.DataLayout;
import dev.nightshift.jobs.cli.Terminal;

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

    /** @param reportFile the HTML report written beside the database, or null when it could not be written */
    /**
     * @param stillFailed failures recorded by earlier runs that stand (their files did not change), so that a
     *                    rerun's "failed 0" does not read as "nothing is failed"
     */
    static void print(PrintWriter out, String command, RunReport r, long stillFailed, List<Progress.Failure> failures,
                      List<Progress.Failure> partials, List<String> notes, Path database, Path reportFile) {
        out.printf("%nnightshift %s: %s in %s (run %d)%n", command, r.interrupted() ? "interrupted" : "finished",
                human(r.elapsed()), r.runId());
        out.printf("  documents seen      %d%s%n", r.discovered(), r.entries() > 0 ? "  (files under the paths)" : "");
        if (r.entries() > 0) out.printf("  found inside them   %d  (archive entries, attachments: documents too)%n", r.entries());
        out.printf("  extracted           %d%s%n", r.extracted(), r.entries() > 0 ? "  (files and entries read this run)" : "");
        out.printf("  %-19s %d%n", switch (command) {
            case "translate" -> "translated";
            case "extract" -> "with fields";
            default -> "summarized";
        }, r.done());
        if (r.images() > 0) {
            out.printf("  images              %d  (pictures, not failures: size, format, date and camera recorded%s)%n", r.images(),
                    r.imagesDescribed() > 0 ? "; " + r.imagesDescribed() + " described by the vision model" : "; a vision model describes them, --ocr reads their text");
        }
        if (r.partial() > 0) {
            out.printf("  text cut off        %d  (PARTIAL: only the start of the text was read; see below)%n", r.partial());
        }
        if (r.cutShort() > 0) {
            out.printf("  cut short           %d  (outputs that reached their token limit; finish_reason=length in export)%n", r.cutShort());
        }
        if (r.checked() > 0) {
            out.printf("  unsupported         %d  (of %d model-made outputs checked against their source: they have sentences it "
                    + "does not support; show FILE marks them)%n", r.unsupported(), r.checked());
        }
        out.printf("  skipped (unchanged) %d%s%n", r.skipped(), command.equals("translate") ? "  (or already in the target language)" : "");
        out.printf("  failed              %d%s%n", r.failed(), r.failuresByCategory().isEmpty() ? "" : "  ("
                + r.failuresByCategory().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + ")");
        if (stillFailed > 0) {
            out.printf("  still failed        %d  (recorded by earlier runs and standing: unchanged files are not read again)%n", stillFailed);
        }
        for (String note : notes) out.println("  note: " + Terminal.line(note));
        String dbOption = database.equals(DataLayout.defaultDatabase()) ? ""
                : " --db " + shellWord(database + ".mv.db");
        String self = shellWord(System.getenv().getOrDefault("NIGHTSHIFT_COMMAND", "nightshift"));
        list(out, "Failed documents (each is recorded with its reason):", failures, self + " failures" + dbOption);
        list(out, "Documents whose text was cut off at the write limit (summarized from the part that was read; "
                + "a larger --write-limit reads more):", partials, self + " failures --reason PARTIAL" + dbOption);
        if (r.interrupted()) {
            out.println();
            out.println("The run was interrupted; finished documents are stored. Run the same command again to do the rest.");
        }
        String what = switch (command) {
            case "translate" -> "translation";
            case "extract" -> "fields";
            default -> "summary";
        };
        out.println();
        out.println("Results are in " + Terminal.safe(database + ".mv.db") + ". To look at them:");
        if (reportFile != null) hint(out, "the report (open it in a browser):", shellWord(reportFile.toAbsolutePath().toString()));
        hint(out, "what is stored:", self + " status" + dbOption);
        hint(out, "the failed documents and why:", self + " failures" + dbOption);
        hint(out, "a document's " + what + " and where it came from:", self + " show FILE" + dbOption);
        if (command.equals("extract")) hint(out, "every document's fields, a column each (or jsonl; parquet with --out FILE):", self + " export --fields --format csv" + dbOption);
        else hint(out, "every " + what + " with its provenance (or jsonl, csv; parquet with --out FILE):", self + " export --format md" + dbOption);
        out.flush();
    }

    private static void list(PrintWriter out, String title, List<Progress.Failure> documents, String more) {
        if (documents.isEmpty()) return;
        out.println();
        out.println(title);
        documents.stream().limit(MAX_LISTED_FAILURES)
                .forEach(f -> out.println("  " + Terminal.line(f.locator()) + "\n      " + Terminal.line(f.reason())));
        if (documents.size() > MAX_LISTED_FAILURES) {
            out.println("  ... and " + (documents.size() - MAX_LISTED_FAILURES) + " more, all listed by:");
            out.println("    " + Terminal.safe(more));
        }
    }

    /** A description on its own line, then the command alone on the next, ready to copy. */
    private static void hint(PrintWriter out, String description, String command) {
        out.println("  " + description);
        out.println("    " + Terminal.safe(command));
    }

    /** A path as one shell word: quoted when it holds anything the shell would read otherwise. */
    static String shellWord(String s) {
        if (s.matches("[A-Za-z0-9_./:=@%+,-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) return String.format("%.1f s", d.toMillis() / 1000.0);
        if (s < 3600) return String.format("%d min %d s", s / 60, s % 60);
        return String.format("%d h %d min", s / 3600, (s % 3600) / 60);
    }
}
