package dev.nightshift.jobs.read;

import dev.nightshift.jobs.cli.ExitCodes;
import dev.nightshift.jobs.cli.Terminal;
import dev.nightshift.jobs.cli.UserException;
import dev.nightshift.jobs.run.IngestOptions;

import dev.nightshift.pipeline.core.EmbeddedDocument;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.run.Extractor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code ground} and {@code bench ground} check: a file of claims, and a source's text as a run extracts it. */
public final class Claims {
    private Claims() {
    }

    public static String readClaims(String claims) throws IOException {
        if (claims.equals("-")) return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        Path file = Path.of(claims);
        if (!Files.isRegularFile(file)) throw new UserException(ExitCodes.USAGE, "no such file of claims: " + Terminal.safe(claims));
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** The source's text as a run would extract it (entries of an archive or mail follow, each under its path). */
    public static String sourceText(Path source, int timeoutSeconds) throws Exception {
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
