package dev.nightshift.connectors.formats;

import dev.nightshift.pipeline.store.SegmentRows.Segment;
import dev.nightshift.pipeline.store.SegmentRows.SegmentFile;
import net.sf.okapi.lib.xliff2.core.Fragment;
import net.sf.okapi.lib.xliff2.core.Note;
import net.sf.okapi.lib.xliff2.core.StartFileData;
import net.sf.okapi.lib.xliff2.core.StartXliffData;
import net.sf.okapi.lib.xliff2.core.TagType;
import net.sf.okapi.lib.xliff2.core.Unit;
import net.sf.okapi.lib.xliff2.writer.XLIFFWriter;

import java.io.Writer;
import java.util.regex.Matcher;

/**
 * The night's translated files as one XLIFF 2.0 document (Okapi's XLIFF 2 library), for a translator to open in a
 * CAT tool: a {@code <file>} per written file (its original path), a {@code <unit>} per segment with source and
 * target, inline codes as XLIFF codes, and what the check flagged as a note.
 */
public final class ReviewXliff implements AutoCloseable {
    private final XLIFFWriter writer = new XLIFFWriter();
    private int files;

    /**
     * @param sourceLanguage the documents' language (BCP 47), or "und" when they differ or are unknown
     */
    public ReviewXliff(Writer out, String sourceLanguage, String targetLanguage) {
        writer.setUseIndentation(true);
        writer.create(out, sourceLanguage, targetLanguage);
        StartXliffData start = new StartXliffData(null);
        start.setSourceLanguage(sourceLanguage);
        start.setTargetLanguage(targetLanguage);
        writer.writeStartDocument(start, null);
    }

    /** Adds one written file and its segments. */
    public void add(SegmentFile file) {
        StartFileData start = new StartFileData("f" + (++files));
        start.setOriginal(file.locator());
        writer.writeStartFile(start);
        for (Segment s : file.segments()) {
            Unit unit = new Unit("u" + s.seq());
            var segment = unit.appendSegment();
            codes(s.source(), segment.getSource());
            Fragment target = segment.getTarget(net.sf.okapi.lib.xliff2.core.Part.GetTarget.CREATE_EMPTY);
            codes(s.translation(), target);
            if (s.flagged()) unit.addNote(new Note("nightshift check: " + s.issues(), Note.AppliesTo.TARGET));
            writer.writeUnit(unit);
        }
        writer.writeEndFile();
    }

    /** A tagged text into an XLIFF fragment: {@code <g1>..</g1>} a pair of codes, {@code <x2/>} a code alone ({@code <ph>}). */
    private static void codes(String tagged, Fragment into) {
        Matcher m = Tags.TAG.matcher(tagged);
        int at = 0;
        while (m.find()) {
            into.append(tagged.substring(at, m.start()));
            if (m.group(2) != null) {
                into.append(m.group(1).isEmpty() ? TagType.OPENING : TagType.CLOSING, m.group(2), null, false);
            } else {
                // A code alone, or one end of a pair split across segments (b, e): a placeholder either way, since a
                // lone opening code would not be valid XLIFF without its other end.
                into.append(TagType.STANDALONE, m.group(3) + m.group(4), null, false);
            }
            at = m.end();
        }
        into.append(tagged.substring(at));
    }

    public int files() {
        return files;
    }

    @Override
    public void close() {
        writer.writeEndDocument();
        writer.close();
    }
}
