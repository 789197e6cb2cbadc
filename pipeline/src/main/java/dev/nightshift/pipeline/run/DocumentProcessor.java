package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.FailureCategory;
import dev.nightshift.pipeline.core.Task;
import dev.nightshift.pipeline.image.ImageDescriber;
import dev.nightshift.pipeline.llm.GenerationCancelledException;
import dev.nightshift.pipeline.store.DocumentResult;
import dev.nightshift.pipeline.task.DocumentTask;
import dev.nightshift.pipeline.task.TaskOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The middle stage: runs the {@link DocumentTask} on each prepared document of a source and says what
 * became of it. A task that fails on one document fails that document, with its reason; a cancelled
 * generation (the run is stopping) is passed on, so that nothing of the source is stored.
 */
public final class DocumentProcessor {
    private static final Logger log = LoggerFactory.getLogger(DocumentProcessor.class);

    private final DocumentTask work;
    private final Task task;
    /** Describes pictures, or null: pictures are recorded only. */
    private final ImageDescriber images;

    public DocumentProcessor(DocumentTask work) {
        this(work, null);
    }

    public DocumentProcessor(DocumentTask work, ImageDescriber images) {
        this.work = Objects.requireNonNull(work);
        this.task = work.profile().task();
        this.images = images;
    }

    /**
     * @return the container first, then its entries in order
     * @throws GenerationCancelledException when the run stops while a document is being generated for
     */
    public List<ProcessedDocument> process(Preparation.Ready ready) {
        List<ProcessedDocument> out = new ArrayList<>(1 + ready.entries().size());
        out.add(process(ready.container()));
        for (PreparedDocument entry : ready.entries()) out.add(process(entry));
        return out;
    }

    /** A picture: recorded with what it is and, with a vision model, described. */
    private ProcessedDocument image(PreparedDocument p) {
        Extraction e = p.extraction();
        if (images == null) {
            return new ProcessedDocument(DocumentResult.failed(p.document(), e), RunListener.Outcome.DONE, null, e.error(), true);
        }
        if (p.imageBytes() == null) {
            // Said in the stored detail, so that show tells why this picture has no description.
            Extraction kept = e.withError(e.error() + "; not described: its bytes were not kept (over the size limit, or not a format Java decodes)");
            return new ProcessedDocument(DocumentResult.failed(p.document(), kept), RunListener.Outcome.DONE, null, kept.error(), true);
        }
        try {
            ImageDescriber.Result r = images.describe(p.imageBytes(), p.locator());
            if (r.notDescribed() != null) {
                Extraction kept = e.withError(e.error() + "; " + r.notDescribed());
                return new ProcessedDocument(DocumentResult.failed(p.document(), kept), RunListener.Outcome.DONE, null, kept.error(), true);
            }
            return new ProcessedDocument(new DocumentResult(p.document(), e, "vision", r.chunks(), images.task(), r.outputs()),
                    RunListener.Outcome.DONE, null, r.outputs().get(r.outputs().size() - 1).text(), true);
        } catch (GenerationCancelledException ex) {
            throw ex;
        } catch (java.io.IOException | RuntimeException ex) {
            log.warn("describing {} failed", p.locator(), ex);
            return new ProcessedDocument(DocumentResult.failed(p.document(), e), RunListener.Outcome.FAILED, FailureCategory.DESCRIBE,
                    FailureCategory.DESCRIBE + ": " + DocumentPreparer.describe(ex), true);
        }
    }

    private ProcessedDocument process(PreparedDocument p) {
        Extraction e = p.extraction();
        if (p.unchanged() != null) {
            return new ProcessedDocument(DocumentResult.unchanged(p.document(), e), RunListener.Outcome.SKIPPED, null, p.unchanged(), false);
        }
        if (e.status() == ExtractionStatus.CONTAINER) {
            return new ProcessedDocument(DocumentResult.failed(p.document(), e), RunListener.Outcome.DONE, null, "an archive or mailbox", true);
        }
        if (e.status() == ExtractionStatus.IMAGE) return image(p);
        if (!e.status().usable() || p.chunks().isEmpty()) {
            if (e.status().usable()) { // text that is only whitespace: nothing to process
                e = new Extraction(ExtractionStatus.EMPTY, "", e.mediaType(), e.parser(), e.extractor(), e.tikaVersion(),
                        e.language(), e.durationMs(), "no text in the document");
            }
            return new ProcessedDocument(DocumentResult.failed(p.document(), e), RunListener.Outcome.FAILED,
                    FailureCategory.of(e.status()), e.status() + ": " + e.error(), true);
        }
        try {
            TaskOutput output = work.process(p.chunks(), DocumentPreparer.locale(e));
            boolean passedOver = output.passedOver() != null;
            return new ProcessedDocument(new DocumentResult(p.document(), e, p.tokenizer(), p.chunks(), task, output.outputs()),
                    passedOver ? RunListener.Outcome.SKIPPED : RunListener.Outcome.DONE, null,
                    passedOver ? output.passedOver() : p.chunks().size() + " chunks", true);
        } catch (GenerationCancelledException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            FailureCategory category = FailureCategory.of(task);
            log.warn("{} of {} failed", task.name(), p.locator(), ex);
            return new ProcessedDocument(new DocumentResult(p.document(), e, p.tokenizer(), p.chunks(), task, List.of()),
                    RunListener.Outcome.FAILED, category,
                    category + ": " + task.name() + " failed: " + DocumentPreparer.describe(ex), true);
        }
    }
}
