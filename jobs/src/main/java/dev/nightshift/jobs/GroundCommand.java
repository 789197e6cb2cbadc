package dev.nightshift.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nightshift.connectors.export.ExportFields;
import dev.nightshift.pipeline.core.EmbeddedDocument;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.core.Evidence;
import dev.nightshift.pipeline.core.Grounding;
import dev.nightshift.pipeline.ground.GroundingCheck;
import dev.nightshift.pipeline.core.SentenceCheck;
import dev.nightshift.pipeline.ground.SourceText;
import dev.nightshift.pipeline.run.Extractor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "ground", description = "Check the sentences of a file of claims against the text nightshift extracts "
        + "from SOURCE: for each, whether the source supports it, a score, the source spans that do, and what was not "
        + "found (number:, date:, name:, negation:, role:, words). This is how the check of every summary is measured.")
final class GroundCommand implements Callable<Integer> {
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
        String claimText = readClaims(claims);
        String text = sourceText(source, timeoutSeconds);
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

    static String readClaims(String claims) throws IOException {
        if (claims.equals("-")) return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        Path file = Path.of(claims);
        if (!Files.isRegularFile(file)) throw new UserException(ExitCodes.USAGE, "no such file of claims: " + Terminal.safe(claims));
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** The source's text as a run would extract it (entries of an archive or mail follow, each under its path). */
    static String sourceText(Path source, int timeoutSeconds) throws Exception {
        if (!Files.isRegularFile(source)) throw new UserException(ExitCodes.USAGE, "no such file: " + Terminal.safe(source.toString()));
        if (!Files.isReadable(source)) throw new UserException(ExitCodes.USAGE, "cannot read " + Terminal.safe(source.toString()));
        Extraction e;
        // Isolated as in a run: a file that hangs or kills its parser cannot take this process with it.
        try (Extractor extractor = IngestOptions.forked(1, java.time.Duration.ofSeconds(timeoutSeconds), 512, 20_000_000, false)) {
            e = extractor.extract(new SourceItem(source.toAbsolutePath().toString(), source, Files.size(source),
                    Files.getLastModifiedTime(source).toInstant()));
        }
        String text = textOf(e);
        if (text.isBlank()) {
            throw new UserException(ExitCodes.SOME_FAILED, "no text in " + Terminal.safe(source.toString()) + ": " + e.status()
                    + (e.error() == null ? "" : " (" + Terminal.line(e.error()) + ")"));
        }
        return text;
    }

    /** A file's text with the text of what it holds (an archive's or a mail's entries) after it, each under its path. */
    static String textOf(Extraction e) {
        StringBuilder text = new StringBuilder(e.status().usable() ? e.text() : "");
        for (EmbeddedDocument d : e.embedded()) {
            if (!d.extraction().status().usable() || d.extraction().text().isBlank()) continue;
            text.append("\n\n").append(d.path()).append("\n\n").append(d.extraction().text());
        }
        return text.toString();
    }
}
