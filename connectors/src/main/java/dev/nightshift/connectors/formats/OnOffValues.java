package dev.nightshift.connectors.formats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Works around a trap of Okapi 1.47's Word filter: it reads a switch written {@code <w:b w:val="on"/>} as off, so the
 * bold, italics or underline of such a run is lost in the translated file. Apache POI (and the tools built on it)
 * writes switches that way; Word writes {@code <w:b/>}. Both {@code on} and {@code 1} mean the same in the standard
 * (ST_OnOff, the only WordprocessingML type with the values on and off), so a copy with {@code 1} and {@code 0} is
 * what the filter reads.
 */
final class OnOffValues {
    private static final byte[] ON = "w:val=\"on\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFF = "w:val=\"off\"".getBytes(StandardCharsets.US_ASCII);

    /** Most bytes of one XML part read (a decompression bomb stops here, not in memory). */
    private static final int MAX_PART_BYTES = 256 << 20;

    private OnOffValues() {
    }

    /**
     * A copy of a Word file with its switches written as 1/0 in {@code folder}, or null when it has none written as
     * on/off (then the file itself is read).
     */
    static Path normalizedCopy(Path docx, Path folder) throws IOException {
        try (ZipFile zip = new ZipFile(docx.toFile())) {
            boolean any = false;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements() && !any; ) {
                ZipEntry e = en.nextElement();
                if (!e.getName().startsWith("word/") || !e.getName().endsWith(".xml")) continue;
                try (InputStream in = zip.getInputStream(e)) {
                    byte[] bytes = bounded(in, e);
                    any = indexOf(bytes, ON) >= 0 || indexOf(bytes, OFF) >= 0;
                }
            }
            if (!any) return null;
            Path copy = Files.createTempFile(folder, ".nightshift-", ".docx");
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
                for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                    ZipEntry e = en.nextElement();
                    out.putNextEntry(new ZipEntry(e.getName()));
                    try (InputStream in = zip.getInputStream(e)) {
                        if (e.getName().startsWith("word/") && e.getName().endsWith(".xml")) {
                            String xml = new String(bounded(in, e), StandardCharsets.UTF_8);
                            out.write(xml.replace("w:val=\"on\"", "w:val=\"1\"").replace("w:val=\"off\"", "w:val=\"0\"")
                                    .getBytes(StandardCharsets.UTF_8));
                        } else {
                            in.transferTo(out);
                        }
                    }
                    out.closeEntry();
                }
            } catch (IOException | RuntimeException ex) {
                Files.deleteIfExists(copy);
                throw ex;
            }
            return copy;
        }
    }

    private static byte[] bounded(InputStream in, ZipEntry e) throws IOException {
        byte[] bytes = in.readNBytes(MAX_PART_BYTES + 1);
        if (bytes.length > MAX_PART_BYTES) throw new IOException(e.getName() + " unpacks to more than " + (MAX_PART_BYTES >> 20) + " MB");
        return bytes;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) if (data[i + j] != pattern[j]) continue outer;
            return i;
        }
        return -1;
    }
}
