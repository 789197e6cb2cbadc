package dev.nightshift.pipeline.task;

import dev.nightshift.pipeline.llm.model.GemmaTokenizer;

import java.util.List;

/**
 * A rendered prompt split around the place where the text goes: prompt ids = prefix + text ids + suffix.
 * Counting tokens on the pieces is exact, where re-encoding decoded text is not (decode -> encode can
 * grow, badly so for byte-fallback tokens).
 */
public record PromptFrame(long[] prefix, long[] suffix) {
    /** A private-use character: never in extracted text, so it marks where the text goes. */
    public static final String MARKER = "\uE000";

    /** Splits a prompt rendered with {@link #MARKER} in place of the text. */
    public static PromptFrame around(String rendered, GemmaTokenizer tokenizer, String what) {
        int at = rendered.indexOf(MARKER);
        if (at < 0) throw new IllegalStateException("the chat template dropped the text of " + what);
        return new PromptFrame(tokenizer.encode(rendered.substring(0, at)), tokenizer.encode(rendered.substring(at + MARKER.length())));
    }

    /** Tokens of the prompt besides the text. */
    public int overhead() {
        return prefix.length + suffix.length;
    }

    /** The prompt for one text. */
    public long[] wrap(long[] text) {
        return wrap(List.of(text), new long[0]);
    }

    /** The prompt for several texts joined by {@code separator}. */
    public long[] wrap(List<long[]> pieces, long[] separator) {
        int n = overhead() + pieces.stream().mapToInt(p -> p.length).sum() + Math.max(0, pieces.size() - 1) * separator.length;
        long[] ids = new long[n];
        System.arraycopy(prefix, 0, ids, 0, prefix.length);
        int at = prefix.length;
        for (int i = 0; i < pieces.size(); i++) {
            if (i > 0) {
                System.arraycopy(separator, 0, ids, at, separator.length);
                at += separator.length;
            }
            System.arraycopy(pieces.get(i), 0, ids, at, pieces.get(i).length);
            at += pieces.get(i).length;
        }
        System.arraycopy(suffix, 0, ids, at, suffix.length);
        return ids;
    }
}
