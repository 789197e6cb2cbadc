package dev.nightshift.jobs.read;

import dev.nightshift.jobs.cli.DataLayout;
import dev.nightshift.jobs.run.Progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.pipeline.store.StatusReport;

import java.util.LinkedHashMap;
import java.util.Map;

/** The database's counts as {@code status --format json} prints them and the MCP server's run_status returns them, with the run going on now. */
public final class StatusJson {
    private StatusJson() {
    }

    /** The state a running run last wrote beside the database, or null when no run is going (or it was killed). */
    public static JsonNode runInProgress(java.nio.file.Path db) {
        java.nio.file.Path file = DataLayout.of(db).runState();
        try {
            if (!java.nio.file.Files.exists(file)) return null;
            JsonNode state = new ObjectMapper().readTree(file.toFile());
            java.time.Instant updated = java.time.Instant.parse(state.path("updated_at").asText());
            return java.time.Duration.between(updated, java.time.Instant.now()).compareTo(Progress.STATUS_FRESH) > 0 ? null : state;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** What {@code status --format json} prints and the MCP server's run_status returns. */
    public static Map<String, Object> json(java.nio.file.Path db, StatusReport r, JsonNode running) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("database", db + ".mv.db");
        json.put("files", r.files());
        json.put("entries", r.entries());
        json.put("documents", r.documents());
        json.put("extracted", r.extracted());
        json.put("images", r.images());
        json.put("failed", r.failed());
        json.put("outputs", r.outputs());
        json.put("skipped", r.skipped());
        json.put("failures_by_status", r.failuresByStatus());
        if (r.lastRun() != null) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("id", r.lastRun().id());
            run.put("command", r.lastRun().command());
            run.put("status", r.lastRun().status());
            run.put("started_at", String.valueOf(r.lastRun().startedAt()));
            run.put("ended_at", r.lastRun().endedAt() == null ? null : r.lastRun().endedAt().toString());
            json.put("last_run", run);
        }
        if (running != null) json.put("run_in_progress", running);
        return json;
    }
}
