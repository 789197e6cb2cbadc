package dev.nightshift.pipeline.llm;

/**
 * A rule on which tokens may come next, so that an output belongs to a language whatever the model
 * would rather write (JSON that follows a schema: {@code dev.nightshift.pipeline.constrain}). The decoder
 * asks a row's cursor to mask the row's logits before every token is chosen, greedy or sampled, and tells
 * it the token taken; the row ends when the cursor says its output is complete.
 *
 * <p>One constraint serves many rows at once (each has a cursor of its own) and may cache what it
 * computes across rows and requests: cursors are used on the generating thread only.
 */
public interface TokenConstraint {
    /** A cursor at the start of an output, for one row. */
    Cursor start();

    /** Where one row's output stands. */
    interface Cursor {
        /**
         * Sets to -infinity the logits [offset, offset + vocab) of every token that may not come next.
         *
         * @param remaining tokens the row may still generate, this one included: the cursor leaves only tokens
         *                  after which the output can still be completed in time
         */
        void mask(float[] logits, int offset, int vocab, int remaining);

        /**
         * Takes the chosen token (one {@link #mask} allowed).
         *
         * @return true when the output is complete: the row ends with this token
         */
        boolean advance(int token);
    }
}
