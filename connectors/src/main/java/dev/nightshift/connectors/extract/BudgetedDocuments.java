package dev.nightshift.connectors.extract;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.sax.ContentHandlerFactory;
import org.apache.tika.sax.RecursiveParserWrapperHandler;
import org.apache.tika.sax.ToTextContentHandler;
import org.apache.tika.sax.ContentHandlerDecorator;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;

/**
 * Collects a file's documents (the file and every entry, attachment and nested entry) for Tika's
 * recursive parser, with two bounds that lose nothing silently.
 *
 * <p>Each document has a write limit of its own: its text is cut there and it is marked
 * {@code WRITE_LIMIT_REACHED} (PARTIAL), and its siblings go on. (Tika's own handler factory is a
 * {@code WriteLimiter}, which makes the recursive parser count the limit over the whole file: a zip of
 * 30 texts of a million characters stopped at the twentieth and dropped the rest.)
 *
 * <p>There is no cap on the number of entries. What bounds memory is the text held: once the documents
 * collected so far hold {@code textBudget} characters, every further entry is still listed (its name,
 * size and digest, so it is recorded and counted) but its text is dropped, and it is marked
 * {@link TikaExtractor#NOT_READ} with the reason: such entries are recorded as OUT_OF_MEMORY, which a
 * rerun tries again. A zip of 20,000 entries used to keep the first 10,000 and say nothing of the rest.
 */
final class BudgetedDocuments extends RecursiveParserWrapperHandler {
    /** The keys an entry past the budget keeps: enough to name, identify and count it. */
    private static final List<String> KEPT = List.of(TikaCoreProperties.EMBEDDED_ID.getName(),
            TikaCoreProperties.EMBEDDED_ID_PATH.getName(), TikaCoreProperties.INTERNAL_PATH.getName(),
            TikaCoreProperties.RESOURCE_NAME_KEY, TikaCoreProperties.EMBEDDED_RESOURCE_PATH.getName(), Metadata.CONTENT_TYPE,
            Metadata.CONTENT_LENGTH, "X-TIKA:digest:SHA256");

    private final long textBudget;
    private long held;

    BudgetedDocuments(int writeLimit, long textBudget) {
        super(new PerDocument(writeLimit), -1);
        this.textBudget = textBudget;
    }

    @Override
    public void endEmbeddedDocument(ContentHandler contentHandler, Metadata metadata) throws SAXException {
        markCut(contentHandler, metadata);
        String text = contentHandler.toString();
        if (held + text.length() <= textBudget) {
            held += text.length();
            super.endEmbeddedDocument(contentHandler, metadata);
            return;
        }
        Metadata kept = new Metadata();
        for (String key : KEPT) {
            String value = metadata.get(key);
            if (value != null) kept.set(key, value);
        }
        for (String parser : metadata.getValues(TikaCoreProperties.TIKA_PARSED_BY)) kept.add(TikaCoreProperties.TIKA_PARSED_BY, parser);
        kept.set(TikaExtractor.NOT_READ, String.format(Locale.ROOT, "not read: the documents of this file already held %,d characters, "
                + "the extraction process's share of its memory (--extract-heap); a larger heap reads more, or unpack the archive "
                + "and run on its folder", held));
        super.endEmbeddedDocument(new ToTextContentHandler(), kept);
    }

    @Override
    public void endDocument(ContentHandler contentHandler, Metadata metadata) throws SAXException {
        markCut(contentHandler, metadata);
        super.endDocument(contentHandler, metadata);
    }

    private static void markCut(ContentHandler handler, Metadata metadata) {
        if (handler instanceof Limited limited && limited.reached) metadata.set(TikaCoreProperties.WRITE_LIMIT_REACHED, "true");
    }

    /**
     * One text handler per document with its own limit; deliberately not a {@code WriteLimiter}. It
     * stops keeping characters at the limit rather than throwing (a throw inside an entry ends the
     * archive's parse), and says afterwards that it did.
     */
    private record PerDocument(int writeLimit) implements ContentHandlerFactory {
        @Override
        public ContentHandler getNewContentHandler() {
            return new Limited(new ToTextContentHandler(), writeLimit);
        }

        @Override
        public ContentHandler getNewContentHandler(OutputStream os, Charset charset) {
            return new Limited(new ToTextContentHandler(new java.io.OutputStreamWriter(os, charset)), writeLimit);
        }
    }

    /** Keeps at most {@code limit} characters of a document's text and remembers whether it had more. */
    private static final class Limited extends ContentHandlerDecorator {
        private final int limit;
        private int kept;
        boolean reached;

        Limited(ContentHandler handler, int limit) {
            super(handler);
            this.limit = limit;
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            int room = Math.min(length, limit - kept);
            if (room < length) reached = true;
            if (room <= 0) return;
            super.characters(ch, start, room);
            kept += room;
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
            characters(ch, start, length);
        }
    }
}
