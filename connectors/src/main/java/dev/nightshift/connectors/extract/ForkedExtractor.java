package dev.nightshift.connectors.extract;

import dev.nightshift.connectors.folder.FileNames;
import dev.nightshift.pipeline.core.EmbeddedDocument;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.run.Extractor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Extraction in child JVMs, so that a parser that hangs, leaks or exhausts its heap takes down only
 * its own process: the run records the file as TIMEOUT, OUT_OF_MEMORY or CRASH and goes on with a fresh
 * process. Each child has a capped heap and handles one file at a time; there are as many children as
 * extraction threads.
 *
 * <p>Start-up is what isolation costs most (a child spends ~1.6 s loading and verifying Tika's classes
 * before it can parse), so children start only when a file needs them (an unchanged rerun starts none),
 * and they share a class-data archive: the first child of a run without one writes the classes it used
 * into it when it exits normally, and later children map it instead of loading and verifying those
 * classes again, which halves their start-up.
 */
public final class ForkedExtractor implements Extractor {
    private static final Logger log = LoggerFactory.getLogger(ForkedExtractor.class);
    /** What -XX:+ExitOnOutOfMemoryError exits with. */
    static final int OOM_EXIT_CODE = 3;

    final Settings settings;
    private final BlockingQueue<ExtractionProcess> idle;
    private final List<ExtractionProcess> all = new ArrayList<>();
    private final String name;
    /** Here, not in the children: its model needs more heap than a child should have. */
    private final LanguageGuesser languages = new LanguageGuesser();
    /** The class-data archive children map at start-up, or null; see the class comment. */
    final Path classData;
    /** Whether a live child is writing the class-data archive (one at a time). */
    final AtomicBoolean archiving = new AtomicBoolean();

    /**
     * @param processes   child processes (one file each at a time)
     * @param timeout     longest time one file may take, start-up of a fresh child not included
     * @param heapMb      -Xmx of each child
     * @param writeLimit  most characters kept per file
     * @param ocr         run Tesseract on images and scanned pages
     * @param jvmOptions  extra options for the children (cache and temp folders)
     * @param cacheDir    where the children's class-data archive is kept, or null for none
     */
    public record Settings(int processes, Duration timeout, int heapMb, int writeLimit, boolean ocr, List<String> jvmOptions,
                           Path cacheDir, String classPath, boolean acceptNotText) {
        public Settings(int processes, Duration timeout, int heapMb, int writeLimit, boolean ocr, List<String> jvmOptions, Path cacheDir) {
            this(processes, timeout, heapMb, writeLimit, ocr, jvmOptions, cacheDir, null, false);
        }

        public Settings(int processes, Duration timeout, int heapMb, int writeLimit, boolean ocr, List<String> jvmOptions,
                        Path cacheDir, String classPath) {
            this(processes, timeout, heapMb, writeLimit, ocr, jvmOptions, cacheDir, classPath, false);
        }

        /** The same, with text that looks like no language kept as text ({@code --accept-not-text}). */
        public Settings acceptingNotText(boolean accept) {
            return new Settings(processes, timeout, heapMb, writeLimit, ocr, jvmOptions, cacheDir, classPath, accept);
        }

        /** The children's classpath: this JVM's, unless given (a Spark executor loads nightshift's jars by a class loader of its own). */
        public String childClassPath() {
            return classPath != null ? classPath : System.getProperty("java.class.path");
        }
    }

    /** Most bytes of one embedded picture the children keep for a vision model; 0 keeps none. */
    volatile long keepImageBytes;

    /** See {@link TikaExtractor#keepingImages}; applies to the files asked for from now on. */
    public ForkedExtractor keepingImages(long maxBytes) {
        this.keepImageBytes = Math.max(0, maxBytes);
        return this;
    }

    public ForkedExtractor(Settings settings) {
        this.settings = settings;
        this.idle = new ArrayBlockingQueue<>(settings.processes());
        this.name = TikaExtractor.VERSION.replace("inprocess", "forked") + "/tika-" + TikaExtractor.tikaVersion()
                + (settings.ocr() ? "+ocr" : "") + (settings.acceptNotText() ? "+anytext" : "");
        this.classData = classDataFile(settings.cacheDir());
        for (int i = 0; i < settings.processes(); i++) {
            ExtractionProcess w = new ExtractionProcess(this, i);
            all.add(w);
            idle.add(w);
        }
    }

    private static Path classDataFile(Path cacheDir) {
        if (cacheDir == null) return null;
        try {
            return Files.createDirectories(cacheDir).resolve(classDataName());
        } catch (IOException e) {
            log.info("no class-data archive for the extraction processes ({}): they start a little slower", e.toString());
            return null;
        }
    }

    /**
     * The archive is only valid for this JVM and these exact class files, so its name is a hash of
     * them: a new build or another Java gets a new archive instead of one the JVM would refuse.
     */
    private static String classDataName() {
        StringBuilder key = new StringBuilder(System.getProperty("java.home")).append('|').append(System.getProperty("java.vm.version"));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            java.io.File f = new java.io.File(entry);
            key.append('|').append(f.getAbsolutePath()).append(':').append(f.lastModified()).append(':').append(f.length());
        }
        return "extract-" + Hashing.sha256(key.toString()).substring(0, 16) + ".jsa";
    }

    @Override
    public String name() {
        // Pictures kept for a vision model: a different extraction, so pictures recorded without are redone.
        return name + (keepImageBytes > 0 ? "+images" : "");
    }

    /**
     * Starts every child process now, in the background, instead of at the first file, and loads the
     * language detector: a command that loads a model meanwhile hides their start-up (a second or more
     * each) behind it. A child that fails
     * to start here is started again, or fails its file with the reason, at the first file it is given.
     */
    @Override
    public void warmUp() {
        // The language detector loads its model on first use (a second and more), here in this process.
        // So do the JSON reader and writer of the answers, on the first file.
        Thread detector = new Thread(() -> {
            languages.guess("The extraction processes are starting while the model loads, so that the first documents "
                    + "of the run are read at full speed.");
            ExtractionWire.read(ExtractionWire.write(ExtractionWire.Response.of(
                    Extraction.failed(ExtractionStatus.EMPTY, name(), null, 0, "warm-up"))), ExtractionWire.Response.class).toExtraction(name());
        }, "language-warm-up");
        detector.setDaemon(true);
        detector.start();
        for (int i = 0; i < settings.processes(); i++) {
            Thread starter = new Thread(() -> {
                ExtractionProcess w = idle.poll();
                if (w == null) return; // taken by a file already: it starts there
                try {
                    w.ensureStarted();
                } catch (IOException | RuntimeException e) {
                    log.info("extraction process {} did not start ahead of time ({}); it is started again for the first file", w.index, e.toString());
                    w.stop();
                } finally {
                    idle.add(w);
                }
            }, "extract-start-" + i);
            starter.setDaemon(true);
            starter.start();
        }
    }

    @Override
    public Extraction extract(SourceItem item) {
        if (item.sizeBytes() == 0) {
            return Extraction.failed(ExtractionStatus.EMPTY, name(), null, 0, "the file is empty (0 bytes)");
        }
        ExtractionProcess worker;
        try {
            worker = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Extraction.failed(ExtractionStatus.CRASH, name(), null, 0, "interrupted");
        }
        try {
            return worker.extract(item);
        } finally {
            idle.add(worker);
        }
    }

    /**
     * A name the child can open for a file whose name is not text (Latin-1 bytes, {@code caf\xe9.txt}):
     * the request carries a path as a string, and such a string names another file. The link is made
     * from this JVM's {@code Path}, which kept the bytes; it ends with the file's own name, escaped, so
     * that Tika still sees the extension. Links left by a killed run are swept with the other temporary
     * files ({@value #LINK_PREFIX}).
     */
    static Path linkTo(Path file) throws IOException {
        String own = FileNames.display(file.getFileName()).replaceAll("[\\p{Cntrl}/]", "_");
        if (own.length() > 100) own = own.substring(own.length() - 100);
        String name = LINK_PREFIX + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + "-" + own;
        return Files.createSymbolicLink(Path.of(System.getProperty("java.io.tmpdir"), name), file);
    }

    /** The prefix of the links {@link #linkTo} makes in the temporary folder. */
    public static final String LINK_PREFIX = "nightshift-link-";

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.debug("could not delete {}: {}", p, e.toString());
        }
    }

    /** Language detection for the document and each embedded one, here in the parent. */
    Extraction withLanguages(Extraction e) {
        List<EmbeddedDocument> embedded = e.embedded().stream()
                .map(d -> new EmbeddedDocument(d.path(), d.sha256(), d.sizeBytes(), withLanguages(d.extraction()), d.imageBytes()))
                .toList();
        String language = e.status().usable() ? languages.guess(e.text()) : null;
        return new Extraction(e.status(), e.text(), e.mediaType(), e.parser(), e.extractor(), e.tikaVersion(), language,
                e.durationMs(), e.error(), embedded);
    }

    /** Archives of earlier builds or other JVMs (tens of MB each) that no child can use any more. */
    void deleteStaleArchives() throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(classData.getParent(), "extract-*.jsa")) {
            for (Path p : old) if (!p.equals(classData)) Files.deleteIfExists(p);
        }
    }

    static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() {
        // Wait for workers still extracting (briefly: after an interrupt, callers may still hold one).
        List<ExtractionProcess> returned = new ArrayList<>();
        try {
            for (int i = 0; i < all.size(); i++) {
                ExtractionProcess w = idle.poll(15, TimeUnit.SECONDS);
                if (w == null) break;
                returned.add(w);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ExtractionProcess w : all) {
            if (returned.contains(w)) w.close(); else w.stop();
        }
    }
}
