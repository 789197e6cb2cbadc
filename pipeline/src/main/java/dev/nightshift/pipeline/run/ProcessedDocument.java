package dev.nightshift.pipeline.run;

import dev.nightshift.pipeline.core.FailureCategory;
import dev.nightshift.pipeline.core.DocumentResult;
import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.FetchedDocument;

/**
 * What became of one document: the rows to store and what to report.
 *
 * @param failure why the document has no result, or null
 * @param detail  what the progress display and the events say about it
 * @param fresh   false when an earlier run's result stands and only the document's link is stored
 */
public record ProcessedDocument(DocumentResult result, RunListener.Outcome outcome, FailureCategory failure, String detail,
                                boolean fresh) {
    /** A document stored with what it is and no output, not a failure (a picture no model describes); the detail is its note. */
    public static ProcessedDocument recorded(FetchedDocument document, Extraction extraction) {
        return new ProcessedDocument(DocumentResult.recorded(document, extraction), RunListener.Outcome.DONE, null, extraction.error(), true);
    }

    public String locator() {
        return result.document().source().locator();
    }
}
