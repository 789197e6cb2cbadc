package dev.nightshift.connectors.extract;

import dev.nightshift.pipeline.core.SourceItem;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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

    public static void main(String[] args) throws Exception {
        int writeLimit = Integer.parseInt(args[0]);
        boolean ocr = args.length > 1 && Boolean.parseBoolean(args[1]);
        long keepImages = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Writer protocol = new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        // The parent kills us on timeout; inside, a parse may take as long as it needs.
        try (TikaExtractor tika = new TikaExtractor(Duration.ofDays(1), writeLimit, false, ocr).keepingImages(keepImages);
             BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            protocol.write(ExtractionWire.READY + "\n");
            protocol.flush();
            for (String line = requests.readLine(); line != null; line = requests.readLine()) {
                ExtractionWire.Request r = ExtractionWire.read(line, ExtractionWire.Request.class);
                var extraction = tika.extract(new SourceItem(r.name(), Path.of(r.path()), r.sizeBytes(), null));
                protocol.write(ExtractionWire.PREFIX + ExtractionWire.write(ExtractionWire.Response.of(extraction)));
                protocol.write('\n');
                protocol.flush();
            }
        }
    }
}
