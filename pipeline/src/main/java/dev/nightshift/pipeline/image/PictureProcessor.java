package dev.nightshift.pipeline.image;

import dev.nightshift.pipeline.core.DocumentResult;
import dev.nightshift.pipeline.core.ErrorText;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.FailureCategory;
import dev.nightshift.pipeline.llm.GenerationCancelledException;
import dev.nightshift.pipeline.llm.GeneratorFailedException;
import dev.nightshift.pipeline.run.DocumentPreparer;
import dev.nightshift.pipeline.run.DocumentProcessor;
import dev.nightshift.pipeline.run.Extractor;
import dev.nightshift.pipeline.run.Preparation;
import dev.nightshift.pipeline.run.PreparedDocument;
import dev.nightshift.pipeline.run.ProcessedDocument;
import dev.nightshift.pipeline.run.ResultWriter;
import dev.nightshift.pipeline.run.RunListener;
import dev.nightshift.pipeline.run.RunStages;
import dev.nightshift.pipeline.run.SkipPolicy;
import dev.nightshift.pipeline.run.SourceProcessor;
import dev.nightshift.pipeline.store.Store;
import dev.nightshift.pipeline.task.DocumentTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A {@link DocumentProcessor} with a vision model: the pictures of a source are described first, all at once, and a
 * summary's text then carries the descriptions of the pictures found directly inside its document. The scheduler
 * knows nothing of pictures; a run that describes them is built by {@link #stages}.
 */
public final class PictureProcessor implements SourceProcessor {
    private static final Logger log = LoggerFactory.getLogger(PictureProcessor.class);

    /** Heads the list of a document's pictures in the text its summary is made from. */
    static final String PICTURES_HEADING = "[Pictures in this document, as a vision model described them]";

    /** Threads that wait on the generator for the pictures of one source at once; they only wait. */
    private static final ExecutorService WAITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "picture");
        t.setDaemon(true);
        return t;
    });

    private final DocumentProcessor text;
    private final ImageDescriber images;
    private final DocumentTask work;

    public PictureProcessor(DocumentProcessor text, ImageDescriber images, DocumentTask work) {
        this.text = Objects.requireNonNull(text);
        this.images = Objects.requireNonNull(images);
        this.work = Objects.requireNonNull(work);
    }

    /**
     * The stages of a local run that describes pictures: the preparer keeps pictures' bytes (the extractor must too,
     * and say so in its name, so that pictures recorded by an extractor that did not are looked at again), identical
     * documents' outputs are copied, and there is room for a batch of pictures beside a batch of text, since both
     * wait on the shared generator.
     */
    public static RunStages stages(Store store, Extractor extractor, DocumentTask work, ImageDescriber images, ResultWriter writer,
                                   int threads, SkipPolicy skipPolicy) {
        return new RunStages(new DocumentPreparer(store, extractor, skipPolicy, work.profile()).keepingImages(true),
                new PictureProcessor(new DocumentProcessor(work).reusing(store::reusableOutput), images, work), writer,
                2 * work.profile().parallelism(), threads);
    }

    @Override
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
        if (pictures.size() > 1) {
            List<CompletableFuture<ProcessedDocument>> described = new ArrayList<>();
            for (int i : pictures) described.add(CompletableFuture.supplyAsync(() -> describe(all.get(i)), WAITERS));
            for (int k = 0; k < pictures.size(); k++) {
                try {
                    out[pictures.get(k)] = described.get(k).join();
                } catch (CompletionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    throw e;
                }
            }
        } else {
            for (int i : pictures) out[i] = describe(all.get(i));
        }
        for (int i = 0; i < all.size(); i++) {
            if (out[i] == null) out[i] = text.process(withPictures(all.get(i), all, out));
        }
        return List.of(out);
    }

    /**
     * A text document with the descriptions of the pictures found directly inside it appended to its text, under
     * {@link #PICTURES_HEADING}, and chunked again: its summary then takes them into account, and lineage shows which
     * chunk carried them (the stored extraction text includes the list). Only for tasks that see pictures: a
     * translation keeps the document's own text.
     */
    private PreparedDocument withPictures(PreparedDocument p, List<PreparedDocument> all, ProcessedDocument[] out) {
        if (!work.profile().task().kind().seesPictures() || p.unchanged() != null || !p.extraction().status().usable()) return p;
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

    /** A picture: described by the vision model, or recorded with why not (in its stored detail, so that show tells it). */
    private ProcessedDocument describe(PreparedDocument p) {
        Extraction e = p.extraction();
        if (p.imageBytes() == null) {
            String why = p.imageNotKept() != null ? p.imageNotKept() : "its bytes were not kept (over the size limit, or not a format Java decodes)";
            return ProcessedDocument.recorded(p.document(), e.withError(e.error() + "; not described: " + why));
        }
        try {
            ImageDescriber.Result r = images.describe(p.imageBytes(), p.locator());
            if (r.notDescribed() != null) return ProcessedDocument.recorded(p.document(), e.withError(e.error() + "; " + r.notDescribed()));
            return new ProcessedDocument(new DocumentResult(p.document(), e, "vision", r.chunks(), images.task(), r.outputs()),
                    RunListener.Outcome.DONE, null, r.outputs().get(r.outputs().size() - 1).text(), true);
        } catch (GenerationCancelledException | GeneratorFailedException ex) {
            throw ex;
        } catch (IOException ex) {
            // Bytes Java cannot decode (HEIC, CMYK JPEG, damaged, a decompression bomb): a picture all the same.
            return ProcessedDocument.recorded(p.document(), e.withError(e.error() + "; not described: " + ex.getMessage()));
        } catch (RuntimeException ex) {
            log.warn("describing {} failed", p.locator(), ex);
            return new ProcessedDocument(DocumentResult.recorded(p.document(), e), RunListener.Outcome.FAILED, FailureCategory.DESCRIBE,
                    FailureCategory.DESCRIBE + ": " + ErrorText.of(ex), true);
        }
    }
}
