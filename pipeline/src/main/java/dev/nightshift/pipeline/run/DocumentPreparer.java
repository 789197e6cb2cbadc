package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.core.ErrorText;
import dev.nightshift.pipeline.core.EmbeddedDocument;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.FailureCategory;
import dev.nightshift.pipeline.core.FetchedDocument;
import dev.nightshift.pipeline.core.Hashing;
import dev.nightshift.pipeline.core.IoReasons;
import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.store.PriorWork;
import dev.nightshift.pipeline.store.PriorWorkLookup;
import dev.nightshift.pipeline.task.ChunkingSpec;
import dev.nightshift.pipeline.task.TaskProfile;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fingerprints a source, asks the {@link SkipPolicy} whether earlier work stands, extracts, and chunks
 * each document for the task. Unchanged bytes do not decide for the documents inside an archive or a
 * mail: each entry is checked against the task on its own, and only the ones left to do are chunked.
 */
public final class DocumentPreparer implements Preparer {
    private final PriorWorkLookup prior;
    private final Extractor extractor;
    private final SkipPolicy skipPolicy;
    private final String taskKey;
    private final ChunkingSpec chunking;
    /** Whether pictures' bytes are kept for a vision model (top-level image files are read here). */
    private boolean keepImages;
    /** Image files over this are recorded, not read into memory to be described. */
    static final long MAX_IMAGE_FILE_BYTES = 64L << 20;

    public DocumentPreparer(PriorWorkLookup prior, Extractor extractor, SkipPolicy skipPolicy, TaskProfile profile) {
        this.prior = Objects.requireNonNull(prior);
        this.extractor = Objects.requireNonNull(extractor);
        this.skipPolicy = Objects.requireNonNull(skipPolicy);
        this.taskKey = profile.task().key();
        this.chunking = profile.chunking();
    }

    /** Reads image files for a vision model (embedded pictures come with their bytes from the extractor). */
    public DocumentPreparer keepingImages(boolean keep) {
        this.keepImages = keep;
        return this;
    }

    /**
     * Prepares the file as it is while it is read: its size and time are taken just before, and if they
     * (or its identity: a file replaced by a rename is another inode) differ just after the reading, it
     * changed under the reader and the text, the SHA-256 and the size could each belong to another
     * version. It is then read again, up to {@value #MAX_READS} times.
     */
    @Override
    public Preparation prepare(SourceItem discovered) {
        for (int read = 1; ; read++) {
            FileState before;
            try {
                before = FileState.of(discovered.file());
            } catch (java.nio.file.NoSuchFileException e) {
                return new Preparation.Failed(discovered.locator(), FailureCategory.UNREADABLE, "the file disappeared before it could be read");
            } catch (IOException | RuntimeException e) {
                return new Preparation.Failed(discovered.locator(), FailureCategory.UNREADABLE, "cannot read: " + ErrorText.of(e));
            }
            SourceItem item = new SourceItem(discovered.locator(), discovered.file(), before.size(),
                    discovered.modifiedAt() == null ? null : before.modified());
            Preparation prepared = prepareAsIs(item);
            FileState after;
            try {
                after = FileState.of(discovered.file());
            } catch (IOException | RuntimeException e) {
                after = null; // gone or unreadable now: what was read was read whole, but from which version is unknown
            }
            if (before.equals(after)) return prepared;
            if (read == MAX_READS) {
                return new Preparation.Failed(discovered.locator(), FailureCategory.UNREADABLE, "the file changed while it was read, "
                        + MAX_READS + " times in a row; the next run reads it again");
            }
        }
    }

    /** How often a file that changes while it is read is read again before it is recorded as unreadable. */
    static final int MAX_READS = 3;

    /** A file's size, modification time and identity at one moment. */
    private record FileState(long size, java.time.Instant modified, Object key) {
        static FileState of(java.nio.file.Path file) throws IOException {
            var a = java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            return new FileState(a.size(), a.lastModifiedTime().toInstant(), a.fileKey());
        }
    }

    private Preparation prepareAsIs(SourceItem item) {
        String sha256;
        try {
            sha256 = fingerprint(item);
        } catch (IOException | RuntimeException e) {
            return new Preparation.Failed(item.locator(), FailureCategory.UNREADABLE, "cannot read: " + ErrorText.of(e));
        }
        FetchedDocument document = new FetchedDocument(item, sha256, item.sizeBytes());
        PriorWork before = prior.priorWork(item.locator(), sha256, taskKey, extractor.name(), skipPolicy.maxAttempts());
        if (skipPolicy.settled(before)) return new Preparation.Skipped(item.locator(), skipPolicy.reason(before));

        Extraction extraction = extractor.extract(item);
        List<PreparedDocument> inside = new ArrayList<>();
        for (EmbeddedDocument e : extraction.embedded()) {
            SourceItem entry = new SourceItem(e.locatorIn(item.locator()), item.file(), e.sizeBytes(), item.modifiedAt());
            FetchedDocument fetched = new FetchedDocument(entry, e.sha256(), e.sizeBytes());
            PriorWork entryBefore = prior.priorWork(entry.locator(), e.sha256(), taskKey, extractor.name(), skipPolicy.maxAttempts());
            inside.add(skipPolicy.ownSettled(entryBefore)
                    ? PreparedDocument.unchanged(fetched, e.extraction(), skipPolicy.reason(entryBefore))
                    : chunked(fetched, e.extraction()).withImage(keepImages ? e.imageBytes() : null));
        }
        PreparedDocument own = skipPolicy.ownSettled(before) && extraction.status() != ExtractionStatus.CONTAINER
                ? PreparedDocument.unchanged(document, extraction, skipPolicy.reason(before))
                : chunked(document, extraction);
        if (keepImages && own.unchanged() == null && extraction.status() == ExtractionStatus.IMAGE) {
            own = withImageFile(own, item);
        }
        return new Preparation.Ready(own, inside);
    }

    /** A picture file with its bytes for the vision model, or with why they could not be read. */
    static PreparedDocument withImageFile(PreparedDocument picture, SourceItem item) {
        if (item.sizeBytes() > MAX_IMAGE_FILE_BYTES) {
            return picture.withoutImage("the file is over " + (MAX_IMAGE_FILE_BYTES >> 20) + " MB, the limit for describing a picture");
        }
        try {
            return picture.withImage(java.nio.file.Files.readAllBytes(item.file()));
        } catch (IOException e) {
            return picture.withoutImage("cannot read the file: " + IoReasons.of(e));
        }
    }

    private PreparedDocument chunked(FetchedDocument document, Extraction extraction) {
        if (!extraction.status().usable()) return new PreparedDocument(document, extraction, null, List.of(), null);
        return new PreparedDocument(document, extraction, chunking.counter().name(), chunking.split(extraction), null);
    }

    /**
     * The SHA-256 of a source. A source whose size and modification time match its latest stored version
     * is taken to be unchanged without reading it again (as rsync and make do), which keeps reruns over
     * large archives fast.
     */
    private String fingerprint(SourceItem item) throws IOException {
        if (item.modifiedAt() != null) {
            var known = prior.latestVersion(item.locator());
            if (known.isPresent() && known.get().sizeBytes() == item.sizeBytes()
                    && item.modifiedAt().equals(known.get().modifiedAt())) {
                return known.get().sha256();
            }
        }
        return Hashing.sha256(item.file());
    }

}
