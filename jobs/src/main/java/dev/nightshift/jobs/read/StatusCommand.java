package dev.nightshift.jobs.read;

import dev.nightshift.jobs.cli.DataOptions;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.jobs.run.Progress;

import dev.nightshift.pipeline.store.StatusQueries;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nightshift.pipeline.store.StatusReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "status", description = "Counts of documents, extractions, failures and outputs in the database.")
public final class StatusCommand implements Callable<Integer>, DataOptions.ReadsOnly {
    enum Format { text, json }

    @Mixin
    DataOptions data;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Spec
    CommandSpec spec;

    @Option(names = "--storage", description = "Also where the database's bytes go: its size against the text and outputs it "
            + "holds, and the rows of each table (reads every text: slower on a large database).")
    boolean storage;

    @Override
    public Integer call() throws Exception {
        java.nio.file.Path db = data.existingDatabase();
        StatusReport r = data.read(store -> new StatusQueries(store).status());
        PrintWriter out = spec.commandLine().getOut();
        if (storage) {
            StatusQueries.Storage st = data.read(store -> new StatusQueries(store).storage());
            if (format == Format.json) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("file_bytes", st.fileBytes());
                json.put("text_bytes", st.textBytes());
                json.put("output_bytes", st.outputBytes());
                json.put("ratio", Math.round(st.ratio() * 100) / 100.0);
                json.put("rows", st.rows());
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
            } else {
                out.printf(java.util.Locale.ROOT, "file       %s  (%.2f times the %s of text and %s of outputs it holds)%n", Progress.size(st.fileBytes()),
                        st.ratio(), Progress.size(st.textBytes()), Progress.size(st.outputBytes()));
                out.println("rows       " + st.rows());
            }
            out.flush();
            return ExitCodes.OK;
        }
        JsonNode running = StatusJson.runInProgress(db);
        if (format == Format.json) {
            Map<String, Object> json = StatusJson.json(db, r, running);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        } else {
            out.println("database   " + db + ".mv.db");
            out.printf("documents  %d  (%d files, %d found inside them)%n", r.documents(), r.files(), r.entries());
            out.printf("extracted  %d%n", r.extracted());
            if (r.images() > 0) out.printf("images     %d  (pictures: size, format, date and camera are recorded; a vision model describes them)%n", r.images());
            out.printf("failed     %d%s%n", r.failed(), r.failuresByStatus().isEmpty() ? "" : "  " + r.failuresByStatus());
            out.printf("outputs    %d%n", r.outputs());
            out.printf("skipped    %d  (in the last run)%n", r.skipped());
            if (r.lastRun() != null) {
                out.printf("last run   #%d %s, %s, started %s%n", r.lastRun().id(), r.lastRun().command(),
                        r.lastRun().status(), r.lastRun().startedAt());
            }
            if (running != null) {
                out.println("running    " + Terminal.safe(running.path("line").asText()));
                out.println("           (the counts above are what the run has committed so far)");
                for (JsonNode f : running.path("recent_failures")) {
                    out.println("           failed: " + Terminal.safe(f.path("path").asText()) + ": " + Terminal.safe(f.path("reason").asText()));
                }
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
