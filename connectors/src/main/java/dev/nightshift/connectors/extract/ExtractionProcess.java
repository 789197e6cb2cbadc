package dev.nightshift.connectors.extract;

import dev.nightshift.connectors.folder.FileNames;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.SourceItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One extraction process of a {@link ForkedExtractor}: a child JVM running {@link ExtractionServer}, started lazily,
 * asked one file at a time over its standard input and output, stopped on a timeout and started again after it dies.
 */
final class ExtractionProcess {
    private static final Logger log = LoggerFactory.getLogger(ExtractionProcess.class);
    private final ForkedExtractor owner;
    final int index;
    private Process process;
    private Writer requests;
    // One queue per child process: a late answer from a killed child can never reach the next request.
    private BlockingQueue<String> responses;
    /** Where this child writes the class-data archive when it exits normally, or null. */
    private Path archiveTarget;

    ExtractionProcess(ForkedExtractor owner, int index) {
        this.owner = owner;
        this.index = index;
    }

    Extraction extract(SourceItem item) {
        long started = System.nanoTime();
        try {
            ensureStarted();
        } catch (IOException | RuntimeException e) {
            stop();
            return Extraction.failed(ExtractionStatus.CRASH, owner.name(), null, 0, "cannot start the extraction process: " + e.getMessage());
        }
        String line;
        Path link = null;
        try {
            Path file = item.file().toAbsolutePath();
            if (!FileNames.roundTrips(file)) file = link = ForkedExtractor.linkTo(file);
            requests.write(ExtractionWire.write(new ExtractionWire.Request(file.toString(),
                    FileNames.display(item.file().getFileName()), item.sizeBytes(), owner.keepImageBytes)));
            requests.write('\n');
            requests.flush();
            line = responses.poll(owner.settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            line = null; // the child is gone; its exit code says why
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            return Extraction.failed(ExtractionStatus.CRASH, owner.name(), null, ForkedExtractor.elapsedMs(started), "interrupted");
        } finally {
            if (link != null) ForkedExtractor.deleteQuietly(link);
        }
        if (line != null && !line.isEmpty()) {
            return owner.withLanguages(ExtractionWire.read(line, ExtractionWire.Response.class).toExtraction(owner.name()));
        }
        if (line == null && process.isAlive()) {
            stop();
            return Extraction.failed(ExtractionStatus.TIMEOUT, owner.name(), null, ForkedExtractor.elapsedMs(started),
                    "no result within " + owner.settings.timeout().toSeconds() + " s; the extraction process was stopped");
        }
        int exit = waitForExit();
        stop();
        if (exit == ForkedExtractor.OOM_EXIT_CODE) {
            return Extraction.failed(ExtractionStatus.OUT_OF_MEMORY, owner.name(), null, ForkedExtractor.elapsedMs(started),
                    "the parser ran out of its " + owner.settings.heapMb() + " MB heap");
        }
        return Extraction.failed(ExtractionStatus.CRASH, owner.name(), null, ForkedExtractor.elapsedMs(started),
                "the extraction process died (exit code " + exit + ")");
    }

    private int waitForExit() {
        try {
            return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    void ensureStarted() throws IOException {
        if (process != null && process.isAlive()) return;
        if (process != null) stop(); // died between files: forget it (and any archive it was to write)
        long started = System.nanoTime();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + owner.settings.heapMb() + "m");
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.addAll(classDataOptions());
        command.addAll(owner.settings.jvmOptions());
        command.add("-cp");
        command.add(owner.settings.childClassPath());
        command.add(ExtractionServer.class.getName());
        command.add(Integer.toString(owner.settings.writeLimit()));
        command.add(Boolean.toString(owner.settings.ocr()));
        command.add(Boolean.toString(owner.settings.acceptNotText()));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        while (ready != null && !ready.startsWith(ExtractionWire.PREFIX)) ready = out.readLine();
        if (!ExtractionWire.READY.equals(ready)) {
            throw new IOException("the extraction process did not start (said: " + ready + ")");
        }
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        responses = queue;
        Thread reader = new Thread(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(ExtractionWire.PREFIX)) queue.add(line.substring(ExtractionWire.PREFIX.length()));
                    else log.debug("extraction process {} printed: {}", index, line);
                }
            } catch (IOException e) {
                // the process ended or was killed
            } finally {
                queue.add(""); // end of this child's output: wakes an extract() waiting on a child that died
            }
        }, "extract-reader-" + index);
        reader.setDaemon(true);
        reader.start();
        log.info("started extraction process {} (pid {}) in {} ms{}", index, process.pid(), ForkedExtractor.elapsedMs(started),
                command.stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile")) ? " from the class-data archive" : "");
    }

    /** Maps the archive if there is one; otherwise this child may write it (one child at a time). */
    private List<String> classDataOptions() {
        if (owner.classData == null) return List.of();
        if (Files.isRegularFile(owner.classData)) return List.of("-XX:SharedArchiveFile=" + owner.classData);
        if (!owner.archiving.compareAndSet(false, true)) return List.of();
        archiveTarget = owner.classData.resolveSibling(owner.classData.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        return List.of("-XX:ArchiveClassesAtExit=" + archiveTarget);
    }

    /**
     * Ends the child by closing its input, so that it exits normally and writes the class-data
     * archive if it is the one writing it; a child that does not end in time is killed.
     */
    void close() {
        if (process == null) return;
        try {
            requests.close();
            if (process.waitFor(archiveTarget != null ? 60 : 2, TimeUnit.SECONDS) && process.exitValue() == 0
                    && archiveTarget != null && Files.isRegularFile(archiveTarget)) {
                Files.move(archiveTarget, owner.classData, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.info("extraction processes will start from the class-data archive {}", owner.classData);
                owner.deleteStaleArchives();
            }
        } catch (IOException e) {
            log.debug("could not keep the class-data archive: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
    }

    void stop() {
        if (archiveTarget != null) {
            try {
                Files.deleteIfExists(archiveTarget);
            } catch (IOException e) {
                log.debug("could not delete {}: {}", archiveTarget, e.toString());
            }
            archiveTarget = null;
            owner.archiving.set(false);
        }
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process = null;
        responses = null;
    }
}
