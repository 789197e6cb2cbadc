package dev.nightshift.connectors.extract;

import org.apache.tika.extractor.EmbeddedDocumentBytesHandler;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.extractor.RUnpackExtractor;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.ParseContext;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the bytes of the pictures found inside one document while Tika parses it, by embedded id.
 * Tika's {@code RUnpackExtractor} hands each selected embedded document's bytes to an
 * {@link EmbeddedDocumentBytesHandler} in the parse context (what tika-pipes uses to unpack); only
 * picture types are selected, and a picture over the limit is left out (it is recorded, not described).
 */
final class ImageBytes implements EmbeddedDocumentBytesHandler {
    /** The picture types a vision model is shown: what Java's ImageIO decodes. */
    static final List<String> TYPES = List.of("image/png", "image/jpeg", "image/gif", "image/bmp", "image/x-ms-bmp", "image/tiff");

    private final long maxBytes;
    private final Map<Integer, byte[]> bytes = new HashMap<>();
    private final List<Integer> ids = new ArrayList<>();

    ImageBytes(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    void install(ParseContext context, long maxPerFile) {
        context.set(EmbeddedDocumentBytesHandler.class, this);
        // Parsers ask the context for its EmbeddedDocumentExtractor (and make a plain one when there is
        // none). The unpacking one parses each embedded document as usual and then offers its bytes.
        RUnpackExtractor unpack = new RUnpackExtractor(context, maxPerFile);
        unpack.setEmbeddedBytesSelector(m -> {
            String type = m.get(Metadata.CONTENT_TYPE);
            return type != null && TYPES.contains(type.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT));
        });
        context.set(EmbeddedDocumentExtractor.class, unpack);
    }

    @Override
    public void add(int id, Metadata metadata, InputStream in) throws IOException {
        byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        ids.add(id);
        if (b.length <= maxBytes) bytes.put(id, b);
    }

    @Override
    public List<Integer> getIds() {
        return ids;
    }

    /** The bytes of the picture with this embedded id, or null. */
    byte[] get(String embeddedId) {
        if (embeddedId == null) return null;
        try {
            return bytes.get(Integer.parseInt(embeddedId));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void close() {
        bytes.clear();
    }
}
