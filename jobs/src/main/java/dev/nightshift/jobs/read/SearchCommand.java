package dev.nightshift.jobs.read;

import dev.nightshift.jobs.cli.DataOptions;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.jobs.cli.UserException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nightshift.connectors.search.LuceneIndex;
import dev.nightshift.connectors.search.SearchHit;
import dev.nightshift.pipeline.store.Store;
import dev.nightshift.pipeline.store.StoreLockedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "search", description = "Find the documents, chunks and outputs that match QUERY, best first (BM25), "
        + "with the source path, the chunk's span and a snippet. Syntax: words, \"a phrase\", prefix*, path:, type:, lang:, "
        + "kind:chunk|output, task:, AND / OR / NOT.")
public final class SearchCommand implements Callable<Integer>, DataOptions.ReadsOnly {
    enum Format { text, json }

    @Mixin
    DataOptions data;

    @Parameters(arity = "0..1", paramLabel = "QUERY", description = "What to look for.")
    String query;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "Most results (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--rebuild", description = "Build the index again from the database (it is kept beside it).")
    boolean rebuild;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (query == null && !rebuild) throw new UserException(ExitCodes.USAGE, "give a QUERY (or --rebuild)");
        if (limit < 1) throw new UserException(ExitCodes.USAGE, "--limit must be at least 1");
        Path base = data.existingDatabase();
        PrintWriter out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (LuceneIndex index = LuceneIndex.open(LuceneIndex.folderOf(base), note -> err.println("nightshift: note: " + Terminal.line(note)))) {
            // The index follows the database: bring it up to date first (a run killed before its last
            // index commit leaves it behind). While a run holds the database, search what is indexed.
            try (Store store = Store.open(base, java.time.Clock.systemUTC())) {
                var feed = new dev.nightshift.pipeline.store.IndexFeed(store);
                int added = rebuild ? index.rebuild(feed) : index.catchUp(feed);
                if (rebuild) spec.commandLine().getErr().println("nightshift: search index rebuilt: " + added + " documents");
            } catch (StoreLockedException e) {
                spec.commandLine().getErr().println("nightshift: note: a run is using the database; searching what it has indexed so far");
            }
            if (query == null) return ExitCodes.OK;
            List<SearchHit> hits;
            long started = System.nanoTime();
            try {
                hits = index.search(query, limit);
            } catch (IllegalArgumentException e) {
                throw new UserException(ExitCodes.USAGE, Terminal.line(e.getMessage()));
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            spec.commandLine().getErr().println("nightshift: " + hits.size() + " result" + (hits.size() == 1 ? "" : "s") + " in " + ms + " ms");
            if (format == Format.json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (SearchHit h : hits) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("score", h.score());
                    row.put("path", h.path());
                    row.put("document_id", h.documentId());
                    row.put("media_type", h.mediaType());
                    row.put("language", h.language());
                    row.put("kind", h.kind());
                    if (h.seq() >= 0) {
                        row.put("chunk", h.seq());
                        row.put("char_start", h.start());
                        row.put("char_end", h.end());
                    }
                    if (h.task() != null) row.put("task", h.task());
                    row.put("snippet", h.snippet());
                    rows.add(row);
                }
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
            } else if (hits.isEmpty()) {
                out.println("nothing found for " + Terminal.line(query));
            } else {
                for (SearchHit h : hits) {
                    String where = h.seq() >= 0 ? "chunk " + h.seq() + ", chars [" + h.start() + ", " + h.end() + ")" : h.task() + " output";
                    out.printf(Locale.ROOT, "%5.2f  %s%n       %s%n       %s%n", h.score(), Terminal.line(h.path()), where, Terminal.safe(h.snippet()));
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
