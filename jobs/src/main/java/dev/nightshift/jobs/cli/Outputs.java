package dev.nightshift.jobs.cli;

import dev.nightshift.connectors.export.OutputFile;

import java.io.IOException;
import java.nio.file.Path;

/** A file named by {@code --out}, written by {@link OutputFile}, with its failures said as the user sees them. */
public final class Outputs {
    private Outputs() {
    }

    /**
     * Writes {@code body} to the file the user named.
     *
     * @throws UserException exit 2 when the name cannot be written (a folder, read-only, no permission),
     *                       exit 1 when writing failed on the way (a full disk)
     */
    public static Path write(Path out, OutputFile.Body body) {
        return said(out, () -> OutputFile.write(out, body));
    }

    /** As {@link #write}, for bytes. */
    public static Path writeBinary(Path out, OutputFile.BinaryBody body) {
        return said(out, () -> OutputFile.writeBinary(out, body));
    }

    private interface Writing {
        Path run() throws IOException;
    }

    private static Path said(Path out, Writing writing) {
        try {
            return writing.run();
        } catch (OutputFile.Refused e) {
            throw new UserException(ExitCodes.USAGE, Terminal.line(e.getMessage()));
        } catch (IOException e) {
            throw new UserException(ExitCodes.RUN_FAILED, Terminal.line("cannot write " + out + ": " + dev.nightshift.pipeline.core.IoReasons.of(e)));
        }
    }
}
