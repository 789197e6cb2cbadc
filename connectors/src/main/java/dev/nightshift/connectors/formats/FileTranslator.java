package dev.nightshift.connectors.formats;

import net.sf.okapi.common.Event;
import net.sf.okapi.common.LocaleId;
import net.sf.okapi.common.exceptions.OkapiEncryptedDataException;
import net.sf.okapi.common.exceptions.OkapiException;
import net.sf.okapi.common.filters.IFilter;
import net.sf.okapi.common.filterwriter.GenericContent;
import net.sf.okapi.common.filterwriter.IFilterWriter;
import net.sf.okapi.common.resource.ITextUnit;
import net.sf.okapi.common.resource.RawDocument;
import net.sf.okapi.common.resource.TextContainer;
import net.sf.okapi.common.resource.TextFragment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes a file back in its own format with its text translated, through Okapi: the filter reads the file into events
 * (text units between skeleton: styles, tables, pictures, timings stay as they were), the text units with words go to
 * the {@link SegmentTranslator} all at once, each comes back into its unit with its inline codes, and the filter's
 * writer puts the file together again.
 *
 * <p>Inline codes reach the model as tags ({@link Tags}). A segment whose tags do not come back exactly once is asked
 * again, more firmly; if they still do not, its codes are put at its end and it is flagged, so that no code (a link,
 * a field) is lost and none wraps the wrong words. Every segment is then checked ({@link SegmentChecks}).
 */
public final class FileTranslator {
    private FileTranslator() {
    }

    /**
     * Translates {@code in} into {@code out} (which the caller renames into place: this writes it, nothing else).
     *
     * @param from the file's language, or null when unknown
     * @throws IOException when Okapi cannot read the file as its format says (corrupt, encrypted) or the output
     *                     cannot be written; {@code out} is deleted then
     */
    public static FileTranslation translate(SameFormat format, Path in, Path out, Locale from, Locale to, SegmentTranslator translator)
            throws IOException {
        return translate(format, in, out, from, to, Glossary.EMPTY, translator);
    }

    /** As above, with the terms of {@code glossary} asked for in the segments that hold them, and checked. */
    public static FileTranslation translate(SameFormat format, Path in, Path out, Locale from, Locale to, Glossary glossary,
                                            SegmentTranslator translator) throws IOException {
        Objects.requireNonNull(translator);
        LocaleId source = from == null || from.getLanguage().isEmpty() ? LocaleId.ENGLISH : LocaleId.fromBCP47(from.toLanguageTag());
        LocaleId target = LocaleId.fromBCP47(to.toLanguageTag());
        // Word files from POI-based tools: a copy Okapi reads right (see OnOffValues), removed at the end.
        Path copy = format == SameFormat.DOCX ? readable(in, out) : null;
        Path read = copy != null ? copy : in;
        try {
            // Two passes: the filters of zipped formats close their package at the end of reading, and the writer
            // needs it, so the text units are read once to be translated and once more to be written.
            List<String> coded = new ArrayList<>();
            forEachUnit(format, read, source, target, null, (unit, fragment) -> {
                coded.add(GenericContent.fromFragmentToLetterCoded(fragment, true));
                return null;
            });

            List<Integer> sentAt = new ArrayList<>();
            for (int i = 0; i < coded.size(); i++) if (SegmentChecks.translatable(Tags.strip(coded.get(i)))) sentAt.add(i);
            List<String> segments = sentAt.stream().map(coded::get).toList();
            List<List<Glossary.Term>> termsOf = segments.stream().map(seg -> glossary.in(Tags.strip(seg))).toList();
            List<String> asks = termsOf.stream().map(Glossary::instruction).toList();
            List<String> translated = segments.isEmpty() ? List.of() : new ArrayList<>(translator.translate(segments, asks, false));
            if (translated.size() != segments.size()) throw new IllegalStateException("the translator answered " + translated.size() + " of " + segments.size() + " segments");

            // Second try, firmer, for the segments whose codes did not come back.
            List<Integer> again = new ArrayList<>();
            for (int k = 0; k < segments.size(); k++) if (!Tags.keptIn(segments.get(k), translated.get(k))) again.add(k);
            if (!again.isEmpty()) {
                List<String> retry = translator.translate(again.stream().map(segments::get).toList(), again.stream().map(asks::get).toList(), true);
                for (int j = 0; j < again.size(); j++) translated.set(again.get(j), retry.get(j));
            }

            String[] results = new String[coded.size()];
            Map<Integer, List<SegmentFlag>> flagsByUnit = new HashMap<>();
            for (int k = 0; k < segments.size(); k++) {
                int unit = sentAt.get(k);
                List<SegmentFlag> flags = new ArrayList<>();
                flagsByUnit.put(unit, flags);
                String src = segments.get(k);
                String text = writable(translated.get(k)).strip();
                if (!Tags.keptIn(src, text)) {
                    text = Tags.movedToEnd(src, text);
                    flags.add(new SegmentFlag(unit, SegmentIssue.TAGS_MOVED, Tags.strip(src), Tags.strip(text), String.join(" ", Tags.of(src))));
                }
                flags.addAll(SegmentChecks.check(unit, Tags.strip(src), Tags.strip(text)));
                List<Glossary.Term> missed = Glossary.missed(termsOf.get(k), Tags.strip(text));
                if (!missed.isEmpty()) {
                    flags.add(new SegmentFlag(unit, SegmentIssue.TERM_MISSED, Tags.strip(src), Tags.strip(text),
                            String.join(", ", missed.stream().map(t -> t.source() + " -> " + t.expected()).toList())));
                }
                results[unit] = text;
            }

            forEachUnit(format, read, source, target, out, (unit, fragment) -> {
                String text = results[unit];
                if (text == null) return null; // not sent: the writer keeps the source
                if (fill(text, fragment)) return fragment;
                // Tags in place but not accepted by Okapi (a pair split oddly): the codes at the end, as above.
                String moved = Tags.movedToEnd(coded.get(unit), text);
                if (!fill(moved, fragment)) throw new IllegalStateException("cannot put the codes of segment " + unit + " back");
                results[unit] = moved;
                flagsByUnit.get(unit).add(new SegmentFlag(unit, SegmentIssue.TAGS_MOVED, Tags.strip(coded.get(unit)), Tags.strip(moved),
                        String.join(" ", Tags.of(coded.get(unit)))));
                return fragment;
            });
            if (format.isText()) keepLastLineBreak(in, out);
            List<TranslatedSegment> done = new ArrayList<>();
            for (int unit : sentAt) done.add(new TranslatedSegment(unit, coded.get(unit), results[unit], flagsByUnit.get(unit)));
            return new FileTranslation(format, coded.size(), segments.size(), again.size(), done);
        } catch (OkapiEncryptedDataException e) {
            Files.deleteIfExists(out);
            throw new IOException("cannot read it as " + format.label() + ": it is encrypted or password-protected", e);
        } catch (OkapiException | IllegalArgumentException e) {
            Files.deleteIfExists(out);
            throw new IOException("cannot read it as " + format.label() + ": " + message(e), e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out);
            throw e;
        } finally {
            if (copy != null) Files.deleteIfExists(copy);
        }
    }

    /** What to do with one translatable text unit: its place among them and its source content, a copy. */
    private interface UnitVisitor {
        /** @return the target content to write, or null for none (the source is written) */
        TextFragment visit(int unit, TextFragment source);
    }

    /**
     * Reads the file through its filter, handing each translatable text unit to {@code visitor}; with {@code out},
     * writes every event through the filter's writer, with the targets the visitor gave.
     */
    private static void forEachUnit(SameFormat format, Path file, LocaleId source, LocaleId target, Path out, UnitVisitor visitor) {
        IFilter filter = format.newFilter();
        IFilterWriter writer = null;
        try (RawDocument raw = new RawDocument(file.toUri(), "UTF-8", source, target)) {
            filter.open(raw);
            if (out != null) {
                writer = filter.createFilterWriter();
                writer.setOptions(target, "UTF-8");
                writer.setOutput(out.toString());
            }
            int unit = 0;
            List<Event> events = new ArrayList<>();
            while (filter.hasNext()) {
                events.clear();
                flatten(filter.next(), events);
                for (Event e : events) {
                    if (e.isTextUnit() && e.getTextUnit().isTranslatable()) {
                        ITextUnit tu = e.getTextUnit();
                        TextFragment result = visitor.visit(unit++, tu.getSource().getUnSegmentedContentCopy());
                        if (result != null) tu.setTarget(target, new TextContainer(result));
                    }
                    if (writer != null) writer.handleEvent(e);
                }
            }
        } finally {
            if (writer != null) writer.close();
            filter.close();
        }
    }

    /** Line-based writers may drop the file's last line break; a file that ended with one ends with one. */
    private static void keepLastLineBreak(Path in, Path out) throws IOException {
        String sourceEnd = lastTwoBytes(in);
        if (!sourceEnd.endsWith("\n") || lastTwoBytes(out).endsWith("\n")) return;
        Files.writeString(out, sourceEnd.equals("\r\n") ? "\r\n" : "\n", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
    }

    private static String lastTwoBytes(Path file) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            ByteBuffer tail = ByteBuffer.allocate((int) Math.min(2, size));
            ch.position(size - tail.capacity());
            while (tail.hasRemaining() && ch.read(tail) >= 0) {
                // reads the last bytes
            }
            return new String(tail.array(), 0, tail.position(), StandardCharsets.ISO_8859_1);
        }
    }

    private static Path readable(Path docx, Path out) throws IOException {
        try {
            return OnOffValues.normalizedCopy(docx, out.toAbsolutePath().getParent());
        } catch (java.util.zip.ZipException e) {
            throw new IOException("cannot read it as " + SameFormat.DOCX.label() + ": not a ZIP package (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A model's text without the characters no file format here may hold: control characters other than tab and
     * line breaks (XML 1.0 forbids them, so one {@code U+001C} makes a whole DOCX unreadable), unpaired surrogates
     * and the non-characters U+FFFE/U+FFFF. A random-weight model writes them; a real one rarely does.
     */
    static String writable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0xD800) || (c > 0xDFFF && c < 0xFFFE)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Puts a tagged translation into a copy of its source fragment (which holds the codes); false when the tags do not fit. */
    private static boolean fill(String tagged, TextFragment into) {
        try {
            GenericContent.fromLetterCodedToFragment(tagged, into, true, true);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Events as the writer takes them: a multi-event is the events inside it. */
    private static void flatten(Event e, List<Event> into) {
        if (e.isMultiEvent()) {
            for (Event inner : e.getMultiEvent()) flatten(inner, into);
        } else {
            into.add(e);
        }
    }

    private static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage().strip();
        }
        return e.getClass().getSimpleName();
    }
}
