package dev.nightshift.connectors.extract;

import dev.nightshift.pipeline.core.Extraction;
import dev.nightshift.pipeline.core.ExtractionStatus;
import dev.nightshift.pipeline.core.SourceItem;
import dev.nightshift.pipeline.run.Extractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;

/**
 * The benchmark baseline: a plain AutoDetectParser on the calling thread, no timeout, no isolation,
 * no language detection. What an application that just "uses Tika" does; nothing protects it from a
 * parser that hangs or exhausts the heap.
 */
public final class PlainTikaExtractor implements Extractor {
    private final AutoDetectParser parser = new AutoDetectParser();
    private final int writeLimit;

    public PlainTikaExtractor(int writeLimit) {
        this.writeLimit = writeLimit;
    }

    @Override
    public Extraction extract(SourceItem item) {
        long started = System.nanoTime();
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, item.file().getFileName().toString()); // as any caller would
        BodyContentHandler handler = new BodyContentHandler(writeLimit);
        ParseContext context = new ParseContext();
        context.set(Parser.class, parser);
        try (TikaInputStream in = TikaInputStream.get(item.file(), metadata)) {
            parser.parse(in, handler, metadata, context);
        } catch (Exception e) {
            return Extraction.failed(ExtractionStatus.PARSE_ERROR, name(), null, (System.nanoTime() - started) / 1_000_000,
                    String.valueOf(e.getMessage()));
        }
        String text = handler.toString();
        if (text.isBlank()) {
            return Extraction.failed(ExtractionStatus.EMPTY, name(), null, (System.nanoTime() - started) / 1_000_000, "no text");
        }
        return new Extraction(ExtractionStatus.SUCCESS, text, metadata.get(Metadata.CONTENT_TYPE), null, name(),
                TikaExtractor.tikaVersion(), null, (System.nanoTime() - started) / 1_000_000, null);
    }

    @Override
    public String name() {
        return "plain-tika-baseline";
    }
}
