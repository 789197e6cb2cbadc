package dev.nightshift.connectors.formats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Terms a translation must use as the user says: from a glossary file (source term, target term, optional note) and
 * terms to keep as they are ({@code --keep}). The terms a segment holds go into its prompt, and the check of the
 * segment verifies each came out as asked.
 */
public final class Glossary {
    /**
     * One term.
     *
     * @param target the translation to use, or null to keep the source term as it is
     * @param note   what the file says about it, or empty
     */
    public record Term(String source, String target, String note) {
        public Term {
            if (source == null || source.isBlank()) throw new IllegalArgumentException("a term without its source words");
            source = source.strip();
            target = target == null || target.isBlank() ? null : target.strip();
            note = note == null ? "" : note.strip();
        }

        /** What the translation must hold. */
        String expected() {
            return target != null ? target : source;
        }
    }

    public static final Glossary EMPTY = new Glossary(List.of());

    private final List<Term> terms;
    private final List<Pattern> patterns;

    public Glossary(List<Term> terms) {
        // Longest first: "harbour office" is found before "harbour".
        this.terms = terms.stream().sorted(Comparator.comparingInt((Term t) -> t.source().length()).reversed()).toList();
        this.patterns = this.terms.stream().map(t -> wholeWords(t.source())).toList();
    }

    /**
     * Reads a glossary file: one term a line, {@code source,target[,note]} (CSV, quotes as in RFC 4180) or the same
     * separated by tabs (a line with a tab is read as TSV). A first line {@code source,target...} is a header. Lines
     * that are empty or start with {@code #} are skipped. An empty target keeps the term as it is.
     *
     * @param keep terms to keep as they are, added to the file's
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when a line is not a term, with its number
     */
    public static Glossary load(Path file, List<String> keep) throws IOException {
        List<Term> terms = new ArrayList<>();
        if (file != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (MalformedInputException e) {
                throw new IllegalArgumentException(file + " is not UTF-8 text");
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = i == 0 ? lines.get(i).replace("\uFEFF", "") : lines.get(i);
                if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
                List<String> cells = line.indexOf('\t') >= 0 ? List.of(line.split("\t", -1)) : csv(line, file, i + 1);
                if (i == 0 && cells.get(0).strip().equalsIgnoreCase("source")) continue;
                if (cells.get(0).isBlank()) throw new IllegalArgumentException(file + " line " + (i + 1) + ": no source term");
                terms.add(new Term(cells.get(0), cells.size() > 1 ? cells.get(1) : null, cells.size() > 2 ? cells.get(2) : null));
            }
        }
        for (String k : keep) if (!k.isBlank()) terms.add(new Term(k, null, null));
        return new Glossary(terms);
    }

    public int size() {
        return terms.size();
    }

    /** The terms a text holds (whole words, any case), longest first, none inside a longer one found. */
    public List<Term> in(String text) {
        List<Term> found = new ArrayList<>();
        StringBuilder rest = new StringBuilder(text);
        for (int i = 0; i < terms.size(); i++) {
            var m = patterns.get(i).matcher(rest);
            if (!m.find()) continue;
            found.add(terms.get(i));
            // Blank out what a longer term took, so that its words do not count again for a shorter one.
            do {
                for (int k = m.start(); k < m.end(); k++) rest.setCharAt(k, ' ');
            } while (m.find());
        }
        return found;
    }

    /** The sentence for a prompt that asks for the terms, or empty. */
    public static String instruction(List<Term> found) {
        if (found.isEmpty()) return "";
        List<String> asked = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (Term t : found) {
            if (t.target() == null) {
                kept.add('"' + t.source() + '"');
            } else {
                asked.add('"' + t.source() + "\" as \"" + t.target() + '"' + (t.note().isEmpty() ? "" : " (" + t.note() + ")"));
            }
        }
        StringBuilder s = new StringBuilder();
        if (!asked.isEmpty()) s.append("Translate ").append(String.join(", ", asked)).append('.');
        if (!kept.isEmpty()) s.append(s.isEmpty() ? "" : " ").append("Keep ").append(String.join(", ", kept)).append(" exactly as written.");
        return s.toString();
    }

    /** The terms asked for that the translation does not hold (the translation any case, a kept term as written). */
    static List<Term> missed(List<Term> asked, String translation) {
        List<Term> missed = new ArrayList<>();
        String lower = translation.toLowerCase(Locale.ROOT);
        for (Term t : asked) {
            boolean there = t.target() == null ? translation.contains(t.source()) : lower.contains(t.target().toLowerCase(Locale.ROOT));
            if (!there) missed.add(t);
        }
        return missed;
    }

    private static Pattern wholeWords(String term) {
        return Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(term) + "(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** One CSV line's cells: commas separate, double quotes enclose, a doubled quote is one. */
    private static List<String> csv(String line, Path file, int number) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.toString().isBlank()) {
                cell.setLength(0);
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) throw new IllegalArgumentException(file + " line " + number + ": a quote is not closed");
        cells.add(cell.toString());
        return cells;
    }
}
