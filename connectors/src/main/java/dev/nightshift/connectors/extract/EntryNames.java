package dev.nightshift.connectors.extract;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names of documents found inside a container, for {@link TikaExtractor}: an entry's path through nested
 * containers ({@code inner.zip/letters/a.txt}), made unique within its container ({@code image1 (2).jpg}).
 */
final class EntryNames {
    private EntryNames() {
    }

    /** An embedded document's own name: its path inside an archive, else its file name, else its number. */
    static String segment(Metadata m) {
        String name = m.get(TikaCoreProperties.INTERNAL_PATH);
        if (name == null || name.isBlank()) name = m.get(TikaCoreProperties.RESOURCE_NAME_KEY);
        if (name == null || name.isBlank()) name = "embedded-" + m.get(TikaCoreProperties.EMBEDDED_ID);
        while (name.startsWith("/")) name = name.substring(1);
        return name;
    }

    /** The path from the container, through nested containers: {@code inner.zip/letters/a.txt}. */
    static String path(Metadata m, Map<String, String> segments) {
        String ids = m.get(TikaCoreProperties.EMBEDDED_ID_PATH); // "/1/3"
        if (ids == null) return segment(m);
        List<String> parts = new ArrayList<>();
        for (String id : ids.split("/")) {
            if (!id.isEmpty()) parts.add(segments.getOrDefault(id, "embedded-" + id));
        }
        return String.join("/", parts);
    }

    /**
     * The entry's path, made unique within its container: two entries of one name (two pictures called
     * image1.jpg in an RTF, a tar that holds a file twice) become {@code image1.jpg} and {@code image1 (2).jpg}
     * in the order the container lists them, which the same bytes always give. The renamed segment is
     * kept, so whatever is inside the second entry is found under its new name.
     */
    static String unique(Metadata m, Map<String, String> segments, Set<String> used) {
        String path = path(m, segments);
        if (used.add(path)) return path;
        String id = m.get(TikaCoreProperties.EMBEDDED_ID);
        String own = id != null && segments.containsKey(id) ? segments.get(id) : segment(m);
        for (int n = 2; ; n++) {
            String renamed = numbered(own, n);
            if (id != null && segments.containsKey(id)) {
                segments.put(id, renamed);
                path = path(m, segments);
            } else {
                path = renamed;
            }
            if (used.add(path)) return path;
        }
    }

    /** {@code letters/bill.pdf} -> {@code letters/bill (2).pdf}; {@code README} -> {@code README (2)}. */
    static String numbered(String segment, int n) {
        int slash = segment.lastIndexOf('/');
        int dot = segment.lastIndexOf('.');
        if (dot <= slash + 1) return segment + " (" + n + ")";
        return segment.substring(0, dot) + " (" + n + ")" + segment.substring(dot);
    }
}
