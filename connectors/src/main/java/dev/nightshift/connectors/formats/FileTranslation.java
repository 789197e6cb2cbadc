package dev.nightshift.connectors.formats;

import java.util.List;

/**
 * What writing one file back in its own format did.
 *
 * @param units   the file's translatable text units
 * @param sent    those that went to the model (the others have no words, or are a link or a file name alone)
 * @param retried segments asked again because their codes did not come back
 * @param segments the segments sent, in file order, each with what its check found
 */
public record FileTranslation(SameFormat format, int units, int sent, int retried, List<TranslatedSegment> segments) {
    public FileTranslation {
        segments = List.copyOf(segments);
    }

    /** What the checks found, segment by segment. */
    public List<SegmentFlag> flags() {
        return segments.stream().flatMap(s -> s.flags().stream()).toList();
    }
}
