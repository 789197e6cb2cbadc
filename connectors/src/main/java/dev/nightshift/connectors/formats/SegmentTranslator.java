package dev.nightshift.connectors.formats;

import java.util.List;

/**
 * Translates the segments of one file, all at once so that a shared generator can batch them. A segment's inline
 * codes (bold, a link, a field) come as tags, {@code <g1>..</g1>} around text and {@code <x2/>} alone, which must come
 * back exactly once each.
 */
@FunctionalInterface
public interface SegmentTranslator {
    /**
     * @param segments the texts, tags inside
     * @param terms    for each segment, the sentence that asks for its glossary terms, or empty
     * @param strict   true on the second try for segments whose tags did not come back: ask more firmly
     * @return one translation per segment, in order
     */
    List<String> translate(List<String> segments, List<String> terms, boolean strict);
}
