package dev.nightshift.pipeline.chunk;

/**
 * Estimates tokens without a model: one token per run of letters or digits of up to four characters,
 * one per other visible character, and one per CJK character. Gemma's tokenizer (262k ids) splits
 * English into about 1.3 tokens a word; this estimate errs on the high side, so chunks sized with it
 * still fit when a model's tokenizer is used later. Used by the extractive summarizer only, which has
 * no context limit of its own.
 */
public final class HeuristicTokenCounter implements TokenCounter {
    public static final HeuristicTokenCounter INSTANCE = new HeuristicTokenCounter();

    private HeuristicTokenCounter() {
    }

    @Override
    public int count(String text) {
        int tokens = 0;
        int run = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp >= CJK_START && isCjk(cp)) {
                tokens++;
                run = 0;
            } else if (Character.isLetterOrDigit(cp)) {
                if (run % 4 == 0) tokens++;
                run++;
            } else {
                run = 0;
                if (!Character.isWhitespace(cp)) tokens++;
            }
        }
        return tokens;
    }

    /** Below U+2E80 (CJK radicals) nothing is CJK; checking that first skips the slow script lookup. */
    private static final int CJK_START = 0x2E80;

    private static boolean isCjk(int cp) {
        if (Character.isIdeographic(cp)) return true;
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HIRAGANA || script == Character.UnicodeScript.KATAKANA;
    }

    @Override
    public String name() {
        return "heuristic-v1";
    }
}
