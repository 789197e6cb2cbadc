package dev.nightshift.jobs.read;

import dev.nightshift.jobs.cli.DataOptions;
import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.jobs.cli.UserException;

import dev.nightshift.pipeline.store.LineageQueries;
import dev.nightshift.pipeline.store.FieldRows;
import dev.nightshift.pipeline.store.Lineage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "show", description = "Print the lineage of a document's outputs as a tree: source, document, "
        + "extraction, outputs, and the chunks they were made from.")
public final class ShowCommand implements Callable<Integer>, DataOptions.ReadsOnly {
    @Mixin
    DataOptions data;

    @Parameters(paramLabel = "PATH_OR_ID", description = "A file path (or its end, e.g. a file name), a document id, or a SHA-256 prefix.")
    String key;

    @picocli.CommandLine.Option(names = "--full", description = "Print each summary or translation whole (by default, its first 160 characters).")
    boolean full;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
        data.existingDatabase(); // before anything else: reading never creates a database
        String lookup = key;
        Path asPath = Path.of(key);
        if (Files.exists(asPath)) lookup = asPath.toAbsolutePath().normalize().toString();
        String asGiven = lookup;
        // Each document's lineage and the fields extract read from it, in one read of the database.
        Map<Lineage.Document, List<FieldRows.DocumentFields>> fields = new IdentityHashMap<>();
        List<Lineage.Document> trees = data.read(store -> {
            LineageQueries lineage = new LineageQueries(store);
            List<Lineage.Document> found = lineage.lineage(asGiven);
            if (found.isEmpty() && !asGiven.equals(key)) found = lineage.lineage(key);
            FieldRows rows = new FieldRows(store);
            for (Lineage.Document tree : found) {
                List<FieldRows.DocumentFields> its = new ArrayList<>();
                rows.documents(null, tree.info().locator(), its::add);
                fields.put(tree, its);
            }
            return found;
        });
        if (trees.isEmpty()) {
            throw new UserException(ExitCodes.USAGE, "nothing stored for " + Terminal.line(key) + " (try a path, a file name, a document id or a SHA-256 prefix)");
        }
        PrintWriter out = spec.commandLine().getOut();
        for (Lineage.Document tree : trees) {
            LineageText.print(out, tree, full);
            fields.get(tree).forEach(d -> FieldsText.print(out, d));
            out.println();
        }
        out.flush();
        return ExitCodes.OK;
    }
}
