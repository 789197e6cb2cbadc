package dev.nightshift.pipeline.llm.graph;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The little of protobuf's wire format the graph patches need: a cursor that walks fields, and writers
 * for varints and length-delimited fields. Patches copy every field they do not touch as bytes, so
 * initializers and unknown fields survive unchanged.
 */
final class Protobuf {
    static final int VARINT = 0;
    static final int LENGTH_DELIMITED = 2;

    private Protobuf() {
    }

    static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    static void writeTag(ByteArrayOutputStream out, int field, int wire) {
        writeVarint(out, ((long) field << 3) | wire);
    }

    static void writeBytes(ByteArrayOutputStream out, int field, byte[] bytes) {
        writeTag(out, field, LENGTH_DELIMITED);
        writeVarint(out, bytes.length);
        out.writeBytes(bytes);
    }

    static void writeString(ByteArrayOutputStream out, int field, String s) {
        writeBytes(out, field, s.getBytes(StandardCharsets.UTF_8));
    }

    static void writeInt(ByteArrayOutputStream out, int field, long value) {
        writeTag(out, field, VARINT);
        writeVarint(out, value);
    }

    /** A new value for a length-delimited field [start, end) of {@code bytes}, or null to keep it. */
    @FunctionalInterface
    interface Rewrite {
        byte[] apply(byte[] bytes, int start, int end);
    }

    /**
     * The message in [start, end) with each length-delimited field number {@code field} replaced by what
     * {@code rewrite} makes of it; every other field copied as it is. Null when nothing was replaced.
     */
    static byte[] rewrite(byte[] b, int start, int end, int field, Rewrite rewrite) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - start + 4096);
        boolean changed = false;
        Reader r = new Reader(b, start, end);
        while (r.more()) {
            int fieldStart = r.pos;
            long tag = r.varint();
            int wire = (int) (tag & 7);
            if ((tag >>> 3) == field && wire == LENGTH_DELIMITED) {
                int length = (int) r.varint();
                byte[] replaced = rewrite.apply(b, r.pos, r.pos + length);
                r.pos += length;
                if (replaced != null) {
                    writeBytes(out, field, replaced);
                    changed = true;
                    continue;
                }
            } else {
                r.skip(wire);
            }
            out.write(b, fieldStart, r.pos - fieldStart);
        }
        return changed ? out.toByteArray() : null;
    }

    /** A cursor over protobuf wire format within [pos, end). */
    static final class Reader {
        final byte[] b;
        int pos;
        final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = b[pos++];
                value |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) return value;
            }
            throw new IllegalStateException("malformed varint at " + pos);
        }

        /** Reads a length prefix and returns the string it delimits, moving past it. */
        String string() {
            int length = (int) varint();
            String s = new String(b, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    long length = varint();
                    pos += (int) length;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalStateException("unsupported wire type " + wire + " at " + pos);
            }
            if (pos > end) throw new IllegalStateException("field runs past its message at " + pos);
        }
    }
}
