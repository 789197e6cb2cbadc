package dev.nightshift.connectors.folder;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * File names as bytes, the way Unix keeps them. Old archives and network shares hold names in Latin-1
 * or another legacy code page ({@code caf\xe9.txt}): Java's {@code Path} keeps their bytes and opens
 * them, but its {@code toString()} puts U+FFFD in place of every byte that is not UTF-8, and
 * {@code Path.of} of that string names another file, one that does not exist. So a name is turned into
 * a string only here: the bytes that are not UTF-8 are written {@code \xE9}, as {@code ls -b} does,
 * which keeps two such names apart and shows a person what is there.
 */
public final class FileNames {
    private FileNames() {
    }

    /** True when {@code Path.of(path.toString())} names the same file: the name is text in this JVM's encoding. */
    public static boolean roundTrips(Path path) {
        return Path.of(path.toString()).equals(path);
    }

    /** The path as text, with the bytes of its name that are not UTF-8 written {@code \xHH}. */
    public static String display(Path path) {
        if (roundTrips(path)) return path.toString();
        // Path.toUri() is built from the path's bytes, percent-encoding those outside ASCII: the one
        // public way back to them.
        boolean absolute = path.isAbsolute();
        String raw = path.toAbsolutePath().toUri().getRawPath();
        if (raw.endsWith("/") && !path.toString().endsWith("/") && raw.length() > 1) raw = raw.substring(0, raw.length() - 1);
        byte[] bytes = percentDecode(raw);
        String text = escapeInvalid(bytes);
        if (absolute) return text;
        // A relative path: take off the working folder toAbsolutePath() put in front.
        String base = display(Path.of("").toAbsolutePath());
        return text.startsWith(base + "/") ? text.substring(base.length() + 1) : text;
    }

    private static byte[] percentDecode(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toByteArray();
    }

    /** Decodes UTF-8, writing each byte that does not belong to a valid sequence as {@code \xHH}. */
    static String escapeInvalid(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length * 4 + 4);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isUnderflow()) break;
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) out.put(String.format("\\x%02X", in.get() & 0xff));
            } else {
                throw new IllegalStateException("output buffer too small for " + bytes.length + " bytes");
            }
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
