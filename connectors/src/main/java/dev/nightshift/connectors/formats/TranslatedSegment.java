package dev.nightshift.connectors.formats;

import java.util.List;

/**
 * One segment of a file written back in its own format, as it was sent and as it came back (inline codes as tags,
 * {@code <g1>..</g1>}, {@code <x2/>}), with what its check found: the unit of review (XLIFF) and of the stored checks.
 *
 * @param unit the text unit's place among the file's translatable units, from 0
 */
public record TranslatedSegment(int unit, String source, String translation, List<SegmentFlag> flags) {
    public TranslatedSegment {
        flags = List.copyOf(flags);
    }
}
