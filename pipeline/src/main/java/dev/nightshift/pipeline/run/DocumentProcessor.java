package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.core.ErrorText;
import dev.nightshift.pipeline.core.Grounding;
import dev.nightshift.pipeline.ground.OutputChecks;

import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.FailureCategory;
import dev.nightshift.pipeline.core.InputRef;
import dev.nightshift.pipeline.core.OutputDraft;
import dev.nightshift.pipeline.core.OutputOrigin;
import dev.nightshift.pipeline.core.Task;
import dev.nightshift.pipeline.image.ImageDescriber;
import dev.nightshift.pipeline.llm.GenerationCancelledException;
import dev.nightshift.pipeline.llm.GeneratorFailedException;
import dev.nightshift.pipeline.core.DocumentResult;
import dev.nightshift.pipeline.store.Store;
import dev.nightshift.pipeline.task.DocumentTask;
import dev.nightshift.pipeline.task.TaskOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The middle stage: runs the {@link DocumentTask} on each prepared document of a source and says what
 * became of it. A task that fails on one document fails that document, with its reason; a cancelled
 * generation (the run is stopping) is passed on, so that nothing of the source is stored.
 */
public final class DocumentProcessor {
    private static final Logger log = LoggerFactory.getLogger(DocumentProcessor.class);

    private static final OutputChecks CHECKS = new OutputChecks();

    private final DocumentTask work;
    private final Task task;
    /** Describes pictures, or null: pictures are recorded only. */
    private final ImageDescriber images;

    public DocumentProcessor(DocumentTask work) {
        this(work, null);
    }

    public DocumentProcessor(DocumentTask work, ImageDescriber images) {
        this(work, images, null);
    }

    private DocumentProcessor(DocumentTask work, ImageDescriber images, Reuse reuse) {
        this.work = Objects.requireNonNull(work);
        this.task = work.profile().task();
        this.images = images;
        this.reuse = reuse;
    }

    /** Finds the output made for an earlier document with the same bytes, task key and extractor. */
    @FunctionalInterface
    public interface Reuse {
        Optional<Store.Reusable> find(String sha256, String taskKey, String extractor);
    }

    /** Earlier documents' outputs to copy for identical documents, or null: every document is worked on. */
    private final Reuse reuse;

    /**
     * This processor, copying the final output of an earlier document with the same bytes (another path,
     * the same file in two archives) instead of making it again: three identical 6.7 MB changelogs were
     * summarized three times. The copy is stored with lineage to the original and origin REUSED.
     */
    public DocumentProcessor reusing(Reuse outputs) {
        return new DocumentProcessor(work, images, outputs);
    }

    /**
     * @return the container first, then its entries in order
     * @throws GenerationCancelledException when the run stops while a document is being generated for
     */
    public List<ProcessedDocument> process(Preparation.Ready ready) {
        List<PreparedDocument> all = new ArrayList<>(1 + ready.entries().size());
        all.add(ready.container());
        all.addAll(ready.entries());
        ProcessedDocument[] out = new ProcessedDocument[all.size()];
        // Pictures first, all at once: they share the generator's batch with every other document, and their
        // descriptions go into the text of the documents that hold them.
        List<Integer> pictures = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            PreparedDocument p = all.get(i);
            if (p.unchanged() == null && p.extraction().status() == ExtractionStatus.IMAGE) pictures.add(i);
        }
        if (images != null && pictures.size() > 1) {
            List<CompletableFuture<ProcessedDocument>> described = new ArrayList<>();
            for (int i : pictures) described.add(CompletableFuture.supplyAsync(() -> image(all.get(i)), PICTURES));
            for (int k = 0; k < pictures.size(); k++) {
                try {
                    out[pictures.get(k)] = described.get(k).join();
                } catch (CompletionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    throw e;
                }
            }
        } else {
            for (int i : pictures) out[i] = image(all.get(i));
        }
        for (int i = 0; i < all.size(); i++) {
            if (out[i] == null) out[i] = process(withPictures(all.get(i), all, out));
        }
        return List.of(out);
    }

    /** Threads that wait on the generator for pictures of one source at once; they only wait. */
    private static final java.util.concurrent.ExecutorService PICTURES = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "picture");
        t.setDaemon(true);
        return t;
    });

    /** Heads the list of a document's pictures in the text its summary is made from. */
    static final String PICTURES_HEADING = "[Pictures in this document, as a vision model described them]";

    /**
     * A text document with the descriptions of the pictures found directly inside it appended to its
     * text, under {@link #PICTURES_HEADING}, and chunked again: its summary then takes them into account,
     * and lineage shows which chunk carried them (the stored extraction text includes the list). Only for
     * summaries: a translation keeps the document's own text.
     */
    private PreparedDocument withPictures(PreparedDocument p, List<PreparedDocument> all, ProcessedDocument[] out) {
        if (images == null || !task.kind().seesPictures() || p.unchanged() != null || !p.extraction().status().usable()) return p;
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < all.size(); i++) {
            ProcessedDocument picture = out[i];
            if (picture == null || picture.result().outputs().isEmpty() || !parentOf(all.get(i).locator()).equals(p.locator())) continue;
            String name = all.get(i).locator().substring(all.get(i).locator().lastIndexOf('/') + 1);
            list.append("- ").append(name).append(": ").append(picture.result().outputs().get(picture.result().outputs().size() - 1).text()
                    .replaceAll("\\s+", " ").strip()).append('\n');
        }
        if (list.isEmpty()) return p;
        Extraction e = p.extraction();
        Extraction withList = e.withText(e.text().stripTrailing() + "\n\n" + PICTURES_HEADING + "\n" + list);
        return new PreparedDocument(p.document(), withList, p.tokenizer(), work.profile().chunking().split(withList), null);
    }

    /** The locator of the document a found document is directly inside: {@code a.zip!/b.docx/c.png -> a.zip!/b.docx}. */
    static String parentOf(String locator) {
        int slash = locator.lastIndexOf('/');
        int bang = locator.lastIndexOf("!/");
        if (bang < 0 || slash < bang + 1) return locator;
        return slash == bang + 1 ? locator.substring(0, bang) : locator.substring(0, slash);
    }

    /** A picture: recorded with what it is and, with a vision model, described. */
    private ProcessedDocument image(PreparedDocument p) {
        Extraction e = p.extraction();
        if (images == null) return recorded(p, e);
        // Why a picture has no description goes into its stored detail, so that show tells it.
        if (p.imageBytes() == null) {
            String why = p.imageNotKept() != null ? p.imageNotKept() : "its bytes were not kept (over the size limit, or not a format Java decodes)";
            return recorded(p, e.withError(e.error() + "; not described: " + why));
        }
        try {
            ImageDescriber.Result r = images.describe(p.imageBytes(), p.locator());
            if (r.notDescribed() != null) return recorded(p, e.withError(e.error() + "; " + r.notDescribed()));
            return new ProcessedDocument(new DocumentResult(p.document(), e, "vision", r.chunks(), images.task(), r.outputs()),
                    RunListener.Outcome.DONE, null, r.outputs().get(r.outputs().size() - 1).text(), true);
        } catch (GenerationCancelledException | GeneratorFailedException ex) {
            throw ex;
        } catch (java.io.IOException ex) {
            // Bytes Java cannot decode (HEIC, CMYK JPEG, damaged, a decompression bomb): a picture all the same.
            return recorded(p, e.withError(e.error() + "; not described: " + ex.getMessage()));
        } catch (RuntimeException ex) {
            log.warn("describing {} failed", p.locator(), ex);
            return new ProcessedDocument(DocumentResult.recorded(p.document(), e), RunListener.Outcome.FAILED, FailureCategory.DESCRIBE,
                    FailureCategory.DESCRIBE + ": " + ErrorText.of(ex), true);
        }
    }

    /** A picture stored with what it is and no output: not a failure. */
    private static ProcessedDocument recorded(PreparedDocument p, Extraction e) {
        return new ProcessedDocument(DocumentResult.recorded(p.document(), e), RunListener.Outcome.DONE, null, e.error(), true);
    }

    private ProcessedDocument process(PreparedDocument p) {
        Extraction e = p.extraction();
        if (p.unchanged() != null) {
            return new ProcessedDocument(DocumentResult.unchanged(p.document(), e), RunListener.Outcome.SKIPPED, null, p.unchanged(), false);
        }
        if (e.status() == ExtractionStatus.CONTAINER) {
            return new ProcessedDocument(DocumentResult.recorded(p.document(), e), RunListener.Outcome.DONE, null, "an archive or mailbox", true);
        }
        if (e.status() == ExtractionStatus.IMAGE) return image(p);
        if (!e.status().usable() || p.chunks().isEmpty()) {
            if (e.status().usable()) { // text that is only whitespace: nothing to process
                e = new Extraction(ExtractionStatus.EMPTY, "", e.mediaType(), e.parser(), e.extractor(), e.tikaVersion(),
                        e.language(), e.durationMs(), "no text in the document");
            }
            return new ProcessedDocument(DocumentResult.recorded(p.document(), e), RunListener.Outcome.FAILED,
                    FailureCategory.of(e.status()), e.status() + ": " + e.error(), true);
        }
        if (reuse != null) {
            Optional<Store.Reusable> earlier = reuse.find(p.document().sha256(), task.key(), e.extractor());
            if (earlier.isPresent()) {
                Store.Reusable r = earlier.get();
                OutputDraft copy = new OutputDraft(0, true, r.text(), List.of(InputRef.stored(r.outputId())), OutputOrigin.REUSED, 0, 0, 0);
                return new ProcessedDocument(new DocumentResult(p.document(), e, p.tokenizer(), p.chunks(), task, List.of(copy)),
                        RunListener.Outcome.DONE, null, "the same bytes as " + r.locator() + ": its " + task.name() + " copied", true);
            }
        }
        try {
            TaskOutput output = work.process(p.chunks(), e.locale());
            boolean passedOver = output.passedOver() != null;
            // Every model-made output is checked against the chunks it was made from, here on the worker
            // threads, so the writer only stores the result.
            List<Grounding> checked = CHECKS.check(e.text(), titleOf(p.document().source().locator()), p.chunks(), output.outputs(), task.kind().checksFactsOnly());
            return new ProcessedDocument(new DocumentResult(p.document(), e, p.tokenizer(), p.chunks(), task, output.outputs())
                    .withGroundings(checked),
                    passedOver ? RunListener.Outcome.SKIPPED : RunListener.Outcome.DONE, null,
                    passedOver ? output.passedOver() : p.chunks().size() + " chunks", true);
        } catch (GenerationCancelledException | GeneratorFailedException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            FailureCategory category = task.kind().failure();
            log.warn("{} of {} failed", task.name(), p.locator(), ex);
            return new ProcessedDocument(new DocumentResult(p.document(), e, p.tokenizer(), p.chunks(), task, List.of()),
                    RunListener.Outcome.FAILED, category,
                    category + ": " + task.name() + " failed: " + ErrorText.of(ex), true);
        }
    }

    /** The last part of a document's id (a path, or an archive entry's "a.zip!/b.txt"): its file name. */
    static String titleOf(String id) {
        int cut = Math.max(id.lastIndexOf('/'), Math.max(id.lastIndexOf('\\'), id.lastIndexOf('!')));
        return id.substring(cut + 1);
    }
}
