package dev.nightshift.connectors.extract;

import dev.nightshift.pipeline.core.SourceItem;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child process of {@link ForkedExtractor}: reads one request per line on stdin, extracts with
 * Tika, writes one response per line on stdout. The parent enforces timeouts by killing this process;
 * an out-of-memory error ends it ({@code -XX:+ExitOnOutOfMemoryError}), and the parent starts another.
 *
 * <p>Parsers sometimes print to System.out; that would corrupt the protocol, so System.out is pointed
 * at stderr and the protocol keeps the real stdout to itself.
 */
public final class ExtractionServer {
    private ExtractionServer() {
    }

    /**
     * Parses a few lines of text once before saying ready: loading Tika's parsers and compiling the
     * paths a file takes costs the first file two seconds otherwise, and a child started ahead of a
     * run (while a model loads) is then ready at full speed.
     */
    private static void warmUp(TikaExtractor tika) {
        try {
            Path sample = Files.createTempFile("nightshift-warm-up", ".txt");
            try {
                Files.writeString(sample, "Warm-up.\nThe extraction process reads this once before its first file.\n");
                // ... and writes its answer the way it writes every answer (the JSON writer's start-up too).
                ExtractionWire.write(ExtractionWire.Response.of(tika.extract(new SourceItem("warm-up.txt", sample, Files.size(sample), null))));
            } finally {
                Files.deleteIfExists(sample);
            }
        } catch (IOException | RuntimeException e) {
            // Only a warm-up: the first real file pays the start-up instead.
        }
    }

    public static void main(String[] args) throws Exception {
        int writeLimit = Integer.parseInt(args[0]);
        boolean ocr = args.length > 1 && Boolean.parseBoolean(args[1]);
        boolean acceptNotText = args.length > 2 && Boolean.parseBoolean(args[2]);
        Writer protocol = new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        // The parent kills us on timeout; inside, a parse may take as long as it needs.
        try (TikaExtractor tika = new TikaExtractor(Duration.ofDays(1), writeLimit, false, ocr).acceptingNotText(acceptNotText);
             BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            warmUp(tika);
            protocol.write(ExtractionWire.READY + "\n");
            protocol.flush();
            for (String line = requests.readLine(); line != null; line = requests.readLine()) {
                ExtractionWire.Request r = ExtractionWire.read(line, ExtractionWire.Request.class);
                tika.keepingImages(r.keepImageBytes());
                var extraction = tika.extract(new SourceItem(r.name(), Path.of(r.path()), r.sizeBytes(), null));
                protocol.write(ExtractionWire.PREFIX + ExtractionWire.write(ExtractionWire.Response.of(extraction)));
                protocol.write('\n');
                protocol.flush();
            }
        }
    }
}
