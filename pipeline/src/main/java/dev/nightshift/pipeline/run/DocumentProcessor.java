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
import dev.nightshift.pipeline.core.TaskKind;
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

/**
 * The middle stage for text: runs the {@link DocumentTask} on each prepared document of a source and says what
 * became of it; pictures are recorded (described when {@code image.PictureProcessor} wraps this). A task that
 * fails on one document fails that document, with its reason; a cancelled
 * generation (the run is stopping) is passed on, so that nothing of the source is stored.
 */
public final class DocumentProcessor implements SourceProcessor {
    private static final Logger log = LoggerFactory.getLogger(DocumentProcessor.class);

    private static final OutputChecks CHECKS = new OutputChecks();

    private final DocumentTask work;
    private final Task task;

    public DocumentProcessor(DocumentTask work) {
        this(work, null);
    }

    private DocumentProcessor(DocumentTask work, Reuse reuse) {
        this.work = Objects.requireNonNull(work);
        this.task = work.profile().task();
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
        return new DocumentProcessor(work, outputs);
    }

    @Override
    public List<ProcessedDocument> process(Preparation.Ready ready) {
        List<ProcessedDocument> out = new ArrayList<>(1 + ready.entries().size());
        out.add(process(ready.container()));
        for (PreparedDocument entry : ready.entries()) out.add(process(entry));
        return out;
    }

    /**
     * What became of one prepared document: unchanged, recorded (an archive, a picture: not failures), failed with
     * its reason, the output of an identical document copied, or the task's output checked against its chunks.
     */
    public ProcessedDocument process(PreparedDocument p) {
        Extraction e = p.extraction();
        if (p.unchanged() != null) {
            return new ProcessedDocument(DocumentResult.unchanged(p.document(), e), RunListener.Outcome.SKIPPED, null, p.unchanged(), false);
        }
        if (e.status() == ExtractionStatus.CONTAINER) {
            return new ProcessedDocument(DocumentResult.recorded(p.document(), e), RunListener.Outcome.DONE, null, "an archive or mailbox", true);
        }
        if (e.status() == ExtractionStatus.IMAGE) return ProcessedDocument.recorded(p.document(), e);
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
            DocumentResult result = new DocumentResult(p.document(), e, p.tokenizer(), p.chunks(), task, output.outputs()).withFields(output.fields());
            // Every model-made output is checked against the chunks it was made from, here on the worker
            // threads, so the writer only stores the result; extracted fields were checked value by value.
            if (task.kind().check() != TaskKind.Check.VALUES) {
                List<Grounding> checked = CHECKS.check(e.text(), titleOf(p.document().source().locator()), p.chunks(), output.outputs(), task.kind().checksFactsOnly());
                result = result.withGroundings(checked);
            }
            return new ProcessedDocument(result,
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
