package dev.nightshift.connectors.export;

import dev.nightshift.pipeline.core.Hashing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where translations go: {@code OUT/<path relative to its root>.<lang>.md}, or in the document's own format
 * {@code OUT/<path without its ending>.<lang>.<ending>}, mirroring the input tree.
 * Documents inside archives and mails continue the path of their container
 * ({@code a.zip!/docs/b.txt} becomes {@code OUT/a.zip/docs/b.txt.de.md}). With several roots, each
 * root's own name comes first, as {@code cp -r a b OUT} does, so that equal names cannot collide.
 *
 * <p>Nothing is ever written outside OUT: entry names come from files nightshift did not make, so each
 * path segment is cleaned ({@code ..} and empty segments cannot climb, over-long names are shortened),
 * the result is checked to lie inside OUT, and folders are made one by one below OUT, refusing a
 * symbolic link that leads out before anything is made behind it. Files are written whole (temporary
 * file, then an atomic rename).
 *
 * <p>Every document gets a file of its own: a segment that cleaning changed carries a tag made from the
 * name it had ({@code ..} becomes {@code __~1b2c3d4e}, so it cannot take the name of a real {@code __}
 * folder), and a name already given to another document in this session gets the tag of the document's
 * locator. Sessions write in locator order, so the same documents always get the same names. Several threads may
 * write at once (names are given out one at a time).
 */
public final class TranslatedFiles {
    private static final String CONTAINER_SEPARATOR = "!/";
    /** Most UTF-8 bytes of one file name on common file systems, with room for the suffix. */
    private static final int MAX_NAME_BYTES = 200;

    private final Path out;
    private final List<Path> roots;
    private final boolean severalRoots;
    /** The target language tag: {@code .de.md} after a name, or {@code .de} before its ending. */
    private final String language;
    /** The files given out in this session, and to which locator: two documents never share one. */
    private final Map<Path, String> claimed = new HashMap<>();

    /**
     * @param out      the output folder (made if missing)
     * @param roots    the paths given to the job, absolute and normalized
     * @param language the target language tag, e.g. {@code de}
     */
    public TranslatedFiles(Path out, List<Path> roots, String language) {
        this.out = out.toAbsolutePath().normalize();
        // Longest root first, so that a file lies under the most specific root given.
        this.roots = roots.stream().map(r -> r.toAbsolutePath().normalize())
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        this.severalRoots = roots.size() > 1;
        this.language = language;
    }

    public Path folder() {
        return out;
    }

    /** The Markdown file for a document's translation ({@code a/b.pdf -> OUT/a/b.pdf.de.md}), or empty when its locator lies under none of the roots. */
    public Optional<Path> target(String locator) {
        return target(locator, false);
    }

    /**
     * The file a document's translation in its own format gets in this session ({@code a/b.docx -> OUT/a/b.de.docx}),
     * or empty when its locator lies under none of the roots; given out now: callers that write
     * from several threads claim in locator order, so that the same documents always get the same names.
     */
    public Optional<Path> claimSameFormat(String locator) {
        return target(locator, true).map(planned -> unique(planned, locator, suffix(planned.getFileName().toString(), true)));
    }

    private Optional<Path> target(String locator, boolean sameFormat) {
        String[] parts = locator.split(CONTAINER_SEPARATOR, -1);
        Path file = Path.of(parts[0]).toAbsolutePath().normalize();
        List<String> segments = new ArrayList<>();
        Path root = roots.stream().filter(file::startsWith).findFirst().orElse(null);
        if (root == null) return Optional.empty();
        if (severalRoots || root.equals(file)) segments.add(root.getFileName() == null ? "root" : root.getFileName().toString());
        for (Path p : root.relativize(file)) if (!p.toString().isEmpty()) segments.add(p.toString());
        for (int i = 1; i < parts.length; i++) segments.addAll(List.of(parts[i].split("[/\\\\]")));
        List<String> clean = new ArrayList<>();
        for (String s : segments) {
            String c = clean(s);
            if (!c.isEmpty()) clean.add(c);
        }
        if (clean.isEmpty()) return Optional.empty();
        int last = clean.size() - 1;
        String suffix = suffix(clean.get(last), sameFormat);
        clean.set(last, shorten(stem(clean.get(last), sameFormat) + suffix, suffix));
        Path target = out;
        for (String c : clean) target = target.resolve(c);
        target = target.normalize();
        if (!target.startsWith(out) || target.equals(out)) {
            throw new IllegalStateException("refusing to write outside " + out + ": " + locator);
        }
        return Optional.of(target);
    }

    /**
     * Writes a document's translation; returns the file, or empty when the locator is under no root.
     *
     * @throws IOException when the file cannot be written, or its folder turns out to lie outside OUT
     */
    public Optional<Path> write(String locator, String text) throws IOException {
        return write(locator, false, temp -> Files.writeString(temp, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8));
    }

    /** Writes the content of a temporary file. */
    @FunctionalInterface
    public interface Body {
        void writeTo(Path temp) throws IOException;
    }

    /**
     * Writes a document's translation in its own format ({@code body} fills a temporary file beside the target,
     * which is then renamed into place: never half-written); returns the file, or empty when the locator is under no
     * root. When {@code body} throws, nothing is left behind.
     */
    public Optional<Path> writeSameFormat(String locator, Body body) throws IOException {
        return write(locator, true, body);
    }

    private Optional<Path> write(String locator, boolean sameFormat, Body body) throws IOException {
        Optional<Path> target = target(locator, sameFormat);
        if (target.isEmpty()) return target;
        Path file = unique(target.get(), locator, suffix(target.get().getFileName().toString(), sameFormat));
        Path folder = folderInside(file.getParent(), file);
        Path temp = Files.createTempFile(folder, ".nightshift-", ".tmp");
        try {
            body.writeTo(temp);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return Optional.of(file);
    }

    /** The planned file, or, when another document of this session has it, the same name tagged with the locator's hash. */
    private synchronized Path unique(Path planned, String locator, String suffix) {
        String owner = claimed.putIfAbsent(planned, locator);
        if (owner == null || owner.equals(locator)) return planned;
        String name = planned.getFileName().toString();
        String stem = name.substring(0, name.length() - suffix.length());
        for (int n = 0; ; n++) {
            String tag = "~" + Hashing.sha256(n == 0 ? locator : locator + "#" + n).substring(0, 8);
            Path alternative = planned.resolveSibling(shorten(stem + tag + suffix, suffix));
            owner = claimed.putIfAbsent(alternative, locator);
            if (owner == null || owner.equals(locator)) return alternative;
        }
    }

    /**
     * What follows the kept part of a name: {@code .de.md}, or {@code .de.docx} for the same format (the ending of
     * the document's name and of the planned one are the same, so either gives it).
     */
    private String suffix(String name, boolean sameFormat) {
        if (!sameFormat) return "." + language + ".md";
        int dot = name.lastIndexOf('.');
        return "." + language + (dot > 0 ? name.substring(dot) : "");
    }

    /** The name without its ending when the ending moves behind the language. */
    private static String stem(String name, boolean sameFormat) {
        int dot = name.lastIndexOf('.');
        return sameFormat && dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * Makes the folders from OUT down to {@code folder} one at a time. A symbolic link on the way is
     * followed only when it stays inside OUT; otherwise nothing is made behind it ({@code createDirectories}
     * would have made the whole tree in the link's target before the check).
     */
    private Path folderInside(Path folder, Path file) throws IOException {
        Path realOut = Files.createDirectories(out).toRealPath();
        Path current = out;
        for (Path name : out.relativize(folder)) {
            current = current.resolve(name);
            if (Files.isSymbolicLink(current)) {
                if (!current.toRealPath().startsWith(realOut)) {
                    throw new IOException("refusing to write " + file + ": " + current + " is a link that leads outside " + out);
                }
            } else if (!Files.exists(current, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(current);
                } catch (java.nio.file.FileAlreadyExistsException madeMeanwhile) {
                    // Another thread writing into the same folder made it first; a file or link there is refused below.
                    if (Files.isSymbolicLink(current) || !Files.isDirectory(current, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        throw new IOException("cannot write " + file + ": " + current + " appeared as something other than a folder");
                    }
                }
            } else if (!Files.isDirectory(current, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("cannot write " + file + ": " + current + " is a file, not a folder");
            }
        }
        return folder;
    }

    /**
     * One path segment that cannot climb or name a special place. A segment this changes is tagged with
     * the hash of what it was, so that it cannot take the name of a segment that was already clean.
     */
    private static String clean(String segment) {
        String s = segment.replaceAll("[\\p{Cntrl}]", "").strip();
        if (s.isEmpty() || s.equals(".")) return "";
        if (s.chars().allMatch(ch -> ch == '.')) s = s.replace('.', '_'); // "..", "...": no climbing
        if (!s.equals(segment)) s = s + "~" + Hashing.sha256(segment).substring(0, 8);
        return shorten(s, "");
    }

    /** Keeps a name within MAX_NAME_BYTES, with a hash of the whole name so that shortened names stay distinct. */
    private static String shorten(String name, String keepSuffix) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES) return name;
        String stem = name.substring(0, name.length() - keepSuffix.length());
        String tag = "~" + Hashing.sha256(stem).substring(0, 8);
        StringBuilder kept = new StringBuilder();
        int budget = MAX_NAME_BYTES - tag.length() - keepSuffix.getBytes(StandardCharsets.UTF_8).length;
        for (int i = 0; i < stem.length(); ) {
            int cp = stem.codePointAt(i);
            String c = new String(Character.toChars(cp));
            if (kept.toString().getBytes(StandardCharsets.UTF_8).length + c.getBytes(StandardCharsets.UTF_8).length > budget) break;
            kept.append(c);
            i += Character.charCount(cp);
        }
        return kept + tag + keepSuffix;
    }
}
