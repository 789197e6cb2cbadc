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
import dev.nightshift.pipeline.core.EmbeddedDocument;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.text.LeadingBlankLines;
import dev.nightshift.pipeline.text.NotLanguage;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.DigestingParser;
import org.apache.tika.parser.RecursiveParserWrapper;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.parser.digestutils.CommonsDigester;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.SAXException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Extraction with Apache Tika inside this JVM, with a per-file timeout and a write limit (per document).
 * Embedded documents (archive entries, mail attachments, nested archives) come back as documents of
 * their own, each with its path inside the container and the SHA-256 of its bytes.
 *
 * <p>A parser that ignores interruption keeps its thread after a timeout; such threads are daemons and
 * are abandoned. Running parsers in a separate process is the stronger guard.
 */
public final class TikaExtractor implements Extractor {
    private static final Logger log = LoggerFactory.getLogger(TikaExtractor.class);
    /** v2: a write limit per document, entries past the memory budget recorded, every Unicode space a space. */
    public static final String VERSION = "tika-inprocess-v2";

    /**
     * Marks an entry read after the container's text budget was spent: its name, size and digest are
     * kept, its text is not (see {@link BudgetedDocuments}).
     */
    static final String NOT_READ = "X-NIGHTSHIFT:not-read";
    private static final String DIGEST = "X-TIKA:digest:SHA256";
    /** Each embedded document gets its own SHA-256; the container's own is computed by the run. */
    private final Parser recursive = new RecursiveParserWrapper(
            new DigestingParser(new AutoDetectParser(), new CommonsDigester(50_000_000, "SHA256"), true));
    private final Duration timeout;
    private final int writeLimit;
    private final LanguageGuesser languages;
    private final boolean ocr;
    /** Text that looks like no language is kept as text rather than judged NOT_TEXT. */
    private boolean acceptNotText;
    private final ExecutorService workers;
    /** Most characters of text the documents of one file may hold at once (see {@link BudgetedDocuments}). */
    private final long textBudget;
    private final String tikaVersion = tikaVersion();
    /** Most bytes of one embedded picture kept for a vision model; 0 keeps none. */
    private long keepImageBytes;
    /** Most bytes of pictures kept from one file, all together. */
    static final long MAX_IMAGE_BYTES_PER_FILE = 256L << 20;

    /**
     * @param timeout    how long one file may take
     * @param writeLimit most characters kept from one file; more makes the extraction PARTIAL
     */
    public TikaExtractor(Duration timeout, int writeLimit) {
        this(timeout, writeLimit, true, false);
    }

    /** In-process extraction; with {@code ocr}, images and scanned PDF pages go through Tesseract. */
    public static TikaExtractor inProcess(Duration timeout, int writeLimit, boolean ocr) {
        return new TikaExtractor(timeout, writeLimit, true, ocr);
    }

    /**
     * @param detectLanguage false in extraction child processes: OpenNLP's language model needs over
     *                       100 MB of heap, better spent once in the parent than in every child
     */
    TikaExtractor(Duration timeout, int writeLimit, boolean detectLanguage, boolean ocr) {
        this(timeout, writeLimit, detectLanguage, ocr, Runtime.getRuntime().maxMemory() / 8);
    }

    /**
     * @param textBudget most characters the documents of one file may hold together: an eighth of the
     *                   heap (UTF-16 text, and again as the JSON a child process answers with)
     */
    TikaExtractor(Duration timeout, int writeLimit, boolean detectLanguage, boolean ocr, long textBudget) {
        this.textBudget = textBudget;
        this.timeout = timeout;
        this.writeLimit = writeLimit;
        this.ocr = ocr;
        this.languages = detectLanguage ? new LanguageGuesser() : null;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tika-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Reads text that looks like no language as text instead of judging it NOT_TEXT ({@code --accept-not-text}). */
    public TikaExtractor acceptingNotText(boolean accept) {
        this.acceptNotText = accept;
        return this;
    }

    /**
     * Keeps the bytes of pictures found inside documents (up to {@code maxBytes} each, 256 MB a file), so
     * that a vision model can look at them; bigger ones are recorded without. 0 keeps none (the default:
     * without a vision model the bytes would only cost memory).
     */
    public TikaExtractor keepingImages(long maxBytes) {
        this.keepImageBytes = Math.max(0, maxBytes);
        return this;
    }

    public long keepImageBytes() {
        return keepImageBytes;
    }

    /**
     * "3.3.1", from tika-core's Maven metadata: {@code new Tika().toString()} would load every parser,
     * a second of start-up for a run that may skip everything.
     */
    static String tikaVersion() {
        try (var in = Tika.class.getResourceAsStream("/META-INF/maven/org.apache.tika/tika-core/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null) return v;
            }
        } catch (IOException e) {
            // fall through to the slow way
        }
        return new Tika().toString().replace("Apache Tika ", "");
    }

    @Override
    public String name() {
        return VERSION + "/tika-" + tikaVersion + (ocr ? "+ocr" : "") + (keepImageBytes > 0 ? "+images" : "") + (acceptNotText ? "+anytext" : "");
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
            return Extraction.failed(ExtractionStatus.CRASH, name(), null, elapsedMs(started), ParserErrors.describe(cause));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return Extraction.failed(ExtractionStatus.CRASH, name(), null, elapsedMs(started), "interrupted");
        }
    }

    private Extraction parse(SourceItem item, long started) {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, item.file().getFileName().toString());
        // Every embedded document (archive entry, attachment) gets its own text, metadata and SHA-256, and
        // its own write limit; how many there may be is bounded by the text they hold, not by a count.
        BudgetedDocuments handler = new BudgetedDocuments(writeLimit, textBudget);
        ImageBytes images = keepImageBytes > 0 ? new ImageBytes(keepImageBytes) : null;
        try (TikaInputStream in = TikaInputStream.get(item.file(), metadata)) {
            ParseContext context = context();
            if (images != null) images.install(context, MAX_IMAGE_BYTES_PER_FILE);
            recursive.parse(in, handler, metadata, context);
        } catch (NoSuchFileException e) {
            return failed(ExtractionStatus.UNREADABLE, metadata, started, "the file disappeared before it could be read");
        } catch (AccessDeniedException e) {
            return failed(ExtractionStatus.UNREADABLE, metadata, started, "permission denied");
        } catch (EncryptedDocumentException e) {
            return failed(ExtractionStatus.ENCRYPTED, metadata, started, "encrypted or password-protected: " + ParserErrors.firstLine(e));
        } catch (ZeroByteFileException e) {
            return failed(ExtractionStatus.EMPTY, metadata, started, "the file is empty (0 bytes)");
        } catch (SAXException e) {
            if (!WriteLimitReachedException.isWriteLimitReached(e)) {
                return failed(ExtractionStatus.PARSE_ERROR, metadata, started, ParserErrors.describe(e));
            }
        } catch (TikaException e) {
            Throwable root = ParserErrors.rootCause(e);
            if (root instanceof EncryptedDocumentException || String.valueOf(root.getMessage()).toLowerCase().contains("password")) {
                return failed(ExtractionStatus.ENCRYPTED, metadata, started, "encrypted or password-protected: " + ParserErrors.firstLine(root));
            }
            return failed(ExtractionStatus.PARSE_ERROR, metadata, started, ParserErrors.describe(e));
        } catch (IOException e) {
            return failed(ExtractionStatus.PARSE_ERROR, metadata, started, ParserErrors.describe(e));
        } catch (RuntimeException e) {
            // Parsers throw unchecked exceptions on malformed input (IllegalArgumentException, NPE, ...).
            return failed(ExtractionStatus.PARSE_ERROR, metadata, started, ParserErrors.describe(e));
        }
        List<Metadata> documents = new ArrayList<>(handler.getMetadataList());
        Metadata container = documents.isEmpty() ? metadata : documents.get(0);
        // Tika lists a nested document before its parent; entries go in document order instead.
        if (documents.size() > 2) {
            documents.subList(1, documents.size()).sort(java.util.Comparator.comparingLong(m -> TikaMetadata.parseLong(m.get(TikaCoreProperties.EMBEDDED_ID))));
        }
        Map<String, String> segments = new HashMap<>(); // embedded id -> its own path segment
        Set<String> parents = new HashSet<>();          // id paths ("/1/3") of entries that contain others
        List<EmbeddedDocument> embedded = new ArrayList<>();
        for (Metadata m : documents.subList(Math.min(1, documents.size()), documents.size())) {
            segments.put(m.get(TikaCoreProperties.EMBEDDED_ID), EntryNames.segment(m));
            String ids = m.get(TikaCoreProperties.EMBEDDED_ID_PATH);
            if (ids != null && ids.lastIndexOf('/') > 0) parents.add(ids.substring(0, ids.lastIndexOf('/')));
        }
        Set<String> used = new HashSet<>();
        for (Metadata m : documents.subList(Math.min(1, documents.size()), documents.size())) {
            String path = EntryNames.unique(m, segments, used);
            Extraction e = document(m, started, parents.contains(m.get(TikaCoreProperties.EMBEDDED_ID_PATH)));
            EmbeddedDocument d = identified(path, m, e);
            byte[] picture = images == null || e.status() != ExtractionStatus.IMAGE ? null : images.get(m.get(TikaCoreProperties.EMBEDDED_ID));
            embedded.add(picture == null ? d : new EmbeddedDocument(d.path(), d.sha256(), d.sizeBytes(), d.extraction(), picture));
        }
        Extraction own = document(container, started, !embedded.isEmpty());
        if (own.status() == ExtractionStatus.EMPTY && embedded.isEmpty() && TikaMetadata.parsers(container).contains(".pkg.PackageParser")) {
            // An archive Tika found no entry in: either truly empty, or damaged past its first header
            // (Tika's zip reader stops quietly at the first bad record). A zip says which by its directory.
            String damage = zipDamage(item.file());
            own = damage != null ? failed(ExtractionStatus.PARSE_ERROR, container, started, "a damaged archive: " + damage)
                    : failed(ExtractionStatus.EMPTY, container, started, "the archive holds no files");
        }
        return new Extraction(own.status(), own.text(), own.mediaType(), own.parser(), own.extractor(), own.tikaVersion(),
                own.language(), own.durationMs(), own.error(), embedded);
    }

    /** Why {@code file}, which starts like a zip, is not a readable one; null when it is, or is no zip. */
    static String zipDamage(Path file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            if (head.length < 2 || head[0] != 'P' || head[1] != 'K') return null;
        } catch (IOException e) {
            return null;
        }
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            return null;
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    /** SHA-256 of no bytes at all. */
    static final String EMPTY_SHA256 = Hashing.sha256(new byte[0]);

    /**
     * An entry with the digest and size of its own bytes. Some parsers hand over no bytes for what they
     * find: a message inside a PST is rebuilt from the mailbox's records (Tika digests an empty stream and
     * says 0 bytes), and entries over 50 MB are not digested. Such an entry is identified by a documented
     * stand-in instead of the hash of nothing: the SHA-256 of its extracted text in UTF-8 (of its path
     * inside the container when it has no text), with that text's length in bytes as its size.
     */
    static EmbeddedDocument identified(String path, Metadata m, Extraction e) {
        String digest = m.get(DIGEST);
        long size = TikaMetadata.parseLong(m.get(Metadata.CONTENT_LENGTH));
        boolean digested = digest != null && digest.matches("[0-9a-fA-F]{64}");
        boolean bytesGiven = digested && !(digest.equalsIgnoreCase(EMPTY_SHA256) && (!e.text().isEmpty() || e.status() == ExtractionStatus.CONTAINER));
        if (bytesGiven) return new EmbeddedDocument(path, digest.toLowerCase(Locale.ROOT), size, e);
        String standIn = e.text().isEmpty() ? "entry without bytes or text: " + path : e.text();
        byte[] bytes = standIn.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new EmbeddedDocument(path, Hashing.sha256(bytes), size > 0 ? size : bytes.length, e);
    }

    /**
     * OCR only when asked: Tika would otherwise run Tesseract on every image whenever it happens to be
     * installed, which is slow and changes results from machine to machine.
     */
    private ParseContext context() {
        ParseContext context = new ParseContext();
        TesseractOCRConfig tesseract = new TesseractOCRConfig();
        tesseract.setSkipOcr(!ocr);
        context.set(TesseractOCRConfig.class, tesseract);
        if (ocr || keepImageBytes > 0) {
            PDFParserConfig pdf = new PDFParserConfig();
            if (ocr) pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.AUTO); // pages without a text layer
            if (keepImageBytes > 0) {
                // A PDF's pictures become documents of their own only for a vision model to look at
                // (each picture once, however many pages show it).
                pdf.setExtractInlineImages(true);
                pdf.setExtractUniqueInlineImagesOnly(true);
            }
            context.set(PDFParserConfig.class, pdf);
        }
        return context;
    }

    /** One document of the recursive result, without its embedded documents' text. */
    private Extraction document(Metadata m, long started, boolean hasChildren) {
        String text = LeadingBlankLines.drop(Objects.requireNonNullElse(m.get(TikaCoreProperties.TIKA_CONTENT), ""));
        String parsers = TikaMetadata.parsers(m);
        if (m.get(NOT_READ) != null) return failed(ExtractionStatus.OUT_OF_MEMORY, m, started, m.get(NOT_READ));
        String exception = m.get(TikaCoreProperties.EMBEDDED_EXCEPTION);
        if (exception == null) exception = m.get(TikaCoreProperties.CONTAINER_EXCEPTION);
        if (exception != null && text.isBlank()) {
            String first = exception.lines().findFirst().orElse(exception).replaceAll("@[0-9a-f]{4,}\\b", "");
            // The same condition gets the same status wherever it occurs: an empty entry is EMPTY, as an empty file is.
            if (first.contains(ZeroByteFileException.class.getSimpleName())) {
                return failed(ExtractionStatus.EMPTY, m, started, "the file is empty (0 bytes)");
            }
            ExtractionStatus status = first.contains("EncryptedDocumentException") || first.toLowerCase(Locale.ROOT).contains("password")
                    ? ExtractionStatus.ENCRYPTED : ExtractionStatus.PARSE_ERROR;
            return failed(status, m, started, first);
        }
        // An archive's own "text" is the list of its entry names: the entries are what matter.
        boolean archive = parsers.contains(".pkg.PackageParser") || parsers.contains(".pkg.CompressorParser");
        if (text.isBlank() || (archive && hasChildren)) {
            if (hasChildren) {
                return new Extraction(ExtractionStatus.CONTAINER, "", TikaMetadata.mediaType(m), parsers, name(), tikaVersion, null,
                        elapsedMs(started), "its entries are documents of their own");
            }
            if (ImageFacts.isImage(TikaMetadata.mediaType(m))) return image(m, started);
            boolean unsupported = parsers.isEmpty() || parsers.endsWith("EmptyParser");
            return failed(unsupported ? ExtractionStatus.UNSUPPORTED : ExtractionStatus.EMPTY, m, started,
                    unsupported ? "no parser for " + m.get(Metadata.CONTENT_TYPE) : "no text in the document");
        }
        if (TikaMetadata.onlyItsOwnName(text, m) && ImageFacts.isImage(TikaMetadata.mediaType(m))) return image(m, started);
        if (TikaMetadata.onlyItsOwnName(text, m)) {
            // Pictures in office files (docProps/thumbnail.jpeg): Tika's "text" is the entry's own path.
            return failed(ExtractionStatus.EMPTY, m, started, "no text besides its own name");
        }
        var notLanguage = acceptNotText ? java.util.Optional.<String>empty() : NotLanguage.reason(text);
        if (notLanguage.isPresent()) {
            // The text is kept (show --full shows it): a verdict can be wrong, and --accept-not-text overrules it.
            return new Extraction(ExtractionStatus.NOT_TEXT, text, TikaMetadata.mediaType(m), parsers, name(), tikaVersion, null, elapsedMs(started),
                    notLanguage.get() + " (--accept-not-text reads it as text)");
        }
        boolean cut = "true".equals(m.get(TikaCoreProperties.WRITE_LIMIT_REACHED));
        text = TikaMetadata.mailHeader(m) + text;
        return new Extraction(cut ? ExtractionStatus.PARTIAL : ExtractionStatus.SUCCESS, text, TikaMetadata.mediaType(m), parsers, name(),
                tikaVersion, languages == null ? null : languages.guess(text), elapsedMs(started),
                cut ? cutReason(text, m) : null);
    }

    /** A picture without text: recorded as an image, not as a failure; the detail says what it is. */
    private Extraction image(Metadata m, long started) {
        return image(m, started, "");
    }

    /** As {@link #image(Metadata, long)}, with {@code more} after what the picture is. */
    private Extraction image(Metadata m, long started, String more) {
        return new Extraction(ExtractionStatus.IMAGE, "", TikaMetadata.mediaType(m), TikaMetadata.parsers(m), name(), tikaVersion, null,
                elapsedMs(started), ImageFacts.describe(TikaMetadata.mediaType(m), m) + more);
    }

    /** How much of a document a cut extraction kept, and of how much, when the size is known. */
    private String cutReason(String text, Metadata m) {
        long size = TikaMetadata.parseLong(m.get(Metadata.CONTENT_LENGTH));
        String of = size > 0 ? String.format(Locale.ROOT, " from a file of %,d bytes", size) : "";
        return String.format(Locale.ROOT, "text cut at the write limit of %,d characters (--write-limit): %,d characters kept%s",
                writeLimit, text.length(), of);
    }

    private Extraction failed(ExtractionStatus status, Metadata metadata, long started, String reason) {
        if (status == ExtractionStatus.PARSE_ERROR && ImageFacts.isImage(TikaMetadata.mediaType(metadata))) {
            // A picture its parser cannot read (an iOS app's "crushed" PNG, an EMF with an odd font) is a
            // picture all the same: recorded as one, with the reason, not counted as a failed document.
            return image(metadata, started, "; its parser could not read it: " + reason);
        }
        return new Extraction(status, "", TikaMetadata.mediaType(metadata), TikaMetadata.parsers(metadata), name(), tikaVersion, null,
                elapsedMs(started), reason);
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
