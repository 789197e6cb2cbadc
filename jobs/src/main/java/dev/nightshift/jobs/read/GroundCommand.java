package dev.nightshift.jobs.read;

import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Terminal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nightshift.connectors.export.ExportFields;
import dev.nightshift.pipeline.core.Evidence;
import dev.nightshift.pipeline.core.Grounding;
import dev.nightshift.pipeline.ground.GroundingCheck;
import dev.nightshift.pipeline.core.SentenceCheck;
import dev.nightshift.pipeline.ground.SourceText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "ground", description = "Check the sentences of a file of claims against the text nightshift extracts "
        + "from SOURCE: for each, whether the source supports it, a score, the source spans that do, and what was not "
        + "found (number:, date:, name:, negation:, role:, words). This is how the check of every summary is measured.")
public final class GroundCommand implements Callable<Integer> {
    enum Format { text, json }

    @Parameters(paramLabel = "SOURCE", description = "Any file nightshift can read (PDF, office file, mail, text, ...).")
    Path source;

    @Option(names = "--claims", required = true, paramLabel = "FILE", description = "The sentences to check (UTF-8 text; - for standard input).")
    String claims;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", description = "Longest extraction (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String claimText = Claims.readClaims(claims);
        String text = Claims.sourceText(source, timeoutSeconds);
        // The file name counts as source: "Debian 12" is what debian.csv is about even where no row says "Debian".
        Grounding g = new GroundingCheck().check(claimText, SourceText.of(text, String.valueOf(source.getFileName())), GroundingCheck.Mode.ALIGN);
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(ExportFields.grounding(g)));
        } else {
            print(g, out);
        }
        return g.unsupported() == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
    }

    static void print(Grounding g, PrintWriter out) {
        for (SentenceCheck s : g.sentences()) {
            out.println((s.supported() ? "  supported    " : "  UNSUPPORTED  ") + String.format(java.util.Locale.ROOT, "%.2f  ", s.score())
                    + Terminal.line(s.sentence()));
            if (!s.flags().isEmpty()) out.println("      not found: " + Terminal.line(String.join(", ", s.flags())));
            for (Evidence e : s.evidence()) {
                out.println("      [" + e.start() + "-" + e.end() + "] " + Terminal.line(shorten(e.text(), 160)));
            }
        }
        out.println(g.sentences().size() + " sentences, " + g.unsupported() + " not supported (" + g.checker() + ")");
    }

    private static String shorten(String text, int max) {
        String one = text.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }

}
