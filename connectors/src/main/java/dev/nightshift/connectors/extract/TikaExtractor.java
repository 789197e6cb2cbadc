package dev.nightshift.connectors.extract;

import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.run.Extractor;
import org.apache.tika.Tika;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.SAXException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Extraction with Apache Tika inside this JVM, with a per-file timeout and a write limit. Embedded
 * documents (attachments, archive entries) contribute their text to their container's text.
 *
 * <p>A parser that ignores interruption keeps its thread after a timeout; such threads are daemons and
 * are abandoned. Running parsers in a separate process is the stronger guard.
 */
public final class TikaExtractor implements Extractor {
    private static final Logger log = LoggerFactory.getLogger(TikaExtractor.class);
    public static final String VERSION = "tika-inprocess-v1";

    private final AutoDetectParser parser = new AutoDetectParser();
    private final Duration timeout;
    private final int writeLimit;
    private final LanguageGuesser languages;
    private final ExecutorService workers;
    private final String tikaVersion = tikaVersion();

    /**
     * @param timeout    how long one file may take
     * @param writeLimit most characters kept from one file; more makes the extraction PARTIAL
     */
    public TikaExtractor(Duration timeout, int writeLimit) {
        this(timeout, writeLimit, true);
    }

    /**
     * @param detectLanguage false in extraction child processes: OpenNLP's language model needs over
     *                       100 MB of heap, better spent once in the parent than in every child
     */
    TikaExtractor(Duration timeout, int writeLimit, boolean detectLanguage) {
        this.timeout = timeout;
        this.writeLimit = writeLimit;
        this.languages = detectLanguage ? new LanguageGuesser() : null;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tika-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** "3.3.1" */
    static String tikaVersion() {
        return new Tika().toString().replace("Apache Tika ", "");
    }

    @Override
    public String name() {
        return VERSION + "/tika-" + tikaVersion;
    }

    @Override
    public Extraction extract(SourceItem item) {
        long started = System.nanoTime();
        if (item.sizeBytes() == 0) {
            return Extraction.failed(ExtractionStatus.EMPTY, name(), null, 0, "the file is empty (0 bytes)");
        }
        Future<Extraction> future = workers.submit(() -> parse(item, started));
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return Extraction.failed(ExtractionStatus.TIMEOUT, name(), null, elapsedMs(started),
                    "no result within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof OutOfMemoryError) {
                return Extraction.failed(ExtractionStatus.OUT_OF_MEMORY, name(), null, elapsedMs(started),
                        "the parser ran out of memory");
            }
            log.warn("extractor crashed on {}", item.locator(), cause);
            return Extraction.failed(ExtractionStatus.CRASH, name(), null, elapsedMs(started), describe(cause));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return Extraction.failed(ExtractionStatus.CRASH, name(), null, elapsedMs(started), "interrupted");
        }
    }

    private Extraction parse(SourceItem item, long started) {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, item.file().getFileName().toString());
        BodyContentHandler handler = new BodyContentHandler(writeLimit);
        ParseContext context = new ParseContext();
        context.set(Parser.class, parser); // recurse into attachments and archive entries
        ExtractionStatus status = ExtractionStatus.SUCCESS;
        String error = null;
        try (TikaInputStream in = TikaInputStream.get(item.file(), metadata)) {
            parser.parse(in, handler, metadata, context);
        } catch (NoSuchFileException e) {
            return failed(ExtractionStatus.UNREADABLE, metadata, started, "the file disappeared before it could be read");
        } catch (AccessDeniedException e) {
            return failed(ExtractionStatus.UNREADABLE, metadata, started, "permission denied");
        } catch (EncryptedDocumentException e) {
            return failed(ExtractionStatus.ENCRYPTED, metadata, started, "encrypted or password-protected: " + firstLine(e));
        } catch (ZeroByteFileException e) {
            return failed(ExtractionStatus.EMPTY, metadata, started, "the file is empty (0 bytes)");
        } catch (SAXException e) {
            if (!WriteLimitReachedException.isWriteLimitReached(e)) {
                return failed(ExtractionStatus.PARSE_ERROR, metadata, started, describe(e));
            }
            status = ExtractionStatus.PARTIAL;
            error = "text cut at the write limit of " + writeLimit + " characters";
        } catch (TikaException e) {
            Throwable root = rootCause(e);
            if (root instanceof EncryptedDocumentException || String.valueOf(root.getMessage()).toLowerCase().contains("password")) {
                return failed(ExtractionStatus.ENCRYPTED, metadata, started, "encrypted or password-protected: " + firstLine(root));
            }
            return failed(ExtractionStatus.PARSE_ERROR, metadata, started, describe(e));
        } catch (IOException e) {
            return failed(ExtractionStatus.PARSE_ERROR, metadata, started, describe(e));
        } catch (RuntimeException e) {
            // Parsers throw unchecked exceptions on malformed input (IllegalArgumentException, NPE, ...).
            return failed(ExtractionStatus.PARSE_ERROR, metadata, started, describe(e));
        }
        String text = handler.toString();
        String parsers = parsers(metadata);
        if (parsers.contains("EmptyParser") && !parsers.contains(".")) {
            return failed(ExtractionStatus.UNSUPPORTED, metadata, started,
                    "no parser for " + metadata.get(Metadata.CONTENT_TYPE));
        }
        if (text.isBlank()) {
            boolean unsupported = parsers.isEmpty() || parsers.endsWith("EmptyParser");
            return failed(unsupported ? ExtractionStatus.UNSUPPORTED : ExtractionStatus.EMPTY, metadata, started,
                    unsupported ? "no parser for " + metadata.get(Metadata.CONTENT_TYPE) : "no text in the document");
        }
        return new Extraction(status, text, mediaType(metadata), parsers, name(), tikaVersion,
                languages == null ? null : languages.guess(text),
                elapsedMs(started), error);
    }

    private Extraction failed(ExtractionStatus status, Metadata metadata, long started, String reason) {
        return new Extraction(status, "", mediaType(metadata), parsers(metadata), name(), tikaVersion, null,
                elapsedMs(started), reason);
    }

    private static String mediaType(Metadata metadata) {
        String type = metadata.get(Metadata.CONTENT_TYPE);
        return type == null ? null : type.split(";")[0].strip();
    }

    /** The parsers that ran, outermost first, without repeats: the AutoDetect/Composite wrappers are left out. */
    private static String parsers(Metadata metadata) {
        String[] all = metadata.getValues(TikaCoreProperties.TIKA_PARSED_BY);
        Set<String> names = new LinkedHashSet<>(Arrays.asList(all));
        names.remove("org.apache.tika.parser.DefaultParser");
        names.remove("org.apache.tika.parser.CompositeParser");
        names.remove("org.apache.tika.parser.AutoDetectParser");
        return String.join(", ", names);
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    private static String describe(Throwable t) {
        Throwable root = rootCause(t);
        String message = firstLine(t);
        if (root != t) message += " (cause: " + root.getClass().getSimpleName() + ": " + firstLine(root) + ")";
        return t.getClass().getSimpleName() + ": " + message;
    }

    /** The first line of a message, without object identities ({@code PDFParser@680f6c3f}). */
    private static String firstLine(Throwable t) {
        String m = t.getMessage();
        if (m == null) return t.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).replaceAll("@[0-9a-f]{4,}\\b", "");
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
