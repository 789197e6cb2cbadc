package dev.nightshift.connectors.export;

import dev.nightshift.pipeline.core.Hashing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where translations go: {@code OUT/<path relative to its root>.<lang>.md}, mirroring the input tree.
 * Documents inside archives and mails continue the path of their container
 * ({@code a.zip!/docs/b.txt} becomes {@code OUT/a.zip/docs/b.txt.de.md}). With several roots, each
 * root's own name comes first, as {@code cp -r a b OUT} does, so that equal names cannot collide.
 *
 * <p>Nothing is ever written outside OUT: entry names come from files nightshift did not make, so each
 * path segment is cleaned ({@code ..} and empty segments cannot climb, over-long names are shortened),
 * the result is checked to lie inside OUT, and so is the real location of its folder (a symbolic link
 * inside OUT cannot lead out). Files are written whole (temporary file, then an atomic rename).
 */
public final class TranslatedFiles {
    private static final String CONTAINER_SEPARATOR = "!/";
    /** Most UTF-8 bytes of one file name on common file systems, with room for the suffix. */
    private static final int MAX_NAME_BYTES = 200;

    private final Path out;
    private final List<Path> roots;
    private final boolean severalRoots;
    private final String suffix;

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
        this.suffix = "." + language + ".md";
    }

    public Path folder() {
        return out;
    }

    /** The file for a document's translation, or empty when its locator lies under none of the roots. */
    public Optional<Path> target(String locator) {
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
        clean.set(last, shorten(clean.get(last) + suffix, suffix));
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
        Optional<Path> target = target(locator);
        if (target.isEmpty()) return target;
        Path file = target.get();
        Path folder = Files.createDirectories(file.getParent());
        if (!folder.toRealPath().startsWith(Files.createDirectories(out).toRealPath())) {
            throw new IOException("refusing to write " + file + ": its folder leads outside " + out);
        }
        Path temp = Files.createTempFile(folder, ".nightshift-", ".tmp");
        try {
            Files.writeString(temp, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    /** One path segment that cannot climb or name a special place. */
    private static String clean(String segment) {
        String s = segment.replaceAll("[\\p{Cntrl}]", "").strip();
        if (s.isEmpty() || s.equals(".")) return "";
        if (s.chars().allMatch(ch -> ch == '.')) return s.replace('.', '_'); // "..", "...": no climbing
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
