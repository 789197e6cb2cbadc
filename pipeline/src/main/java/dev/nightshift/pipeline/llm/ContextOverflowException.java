package dev.nightshift.pipeline.llm;

import dev.nightshift.pipeline.llm.model.ModelException;

/** A prompt (plus the tokens asked for) longer than the model's context. Never truncated: the caller must chunk. */
final class ContextOverflowException extends ModelException {
    private final int promptTokens;
    private final int maxNewTokens;
    private final int contextLength;

    public ContextOverflowException(int promptTokens, int maxNewTokens, int contextLength) {
        super("prompt of " + promptTokens + " tokens + " + maxNewTokens + " new tokens exceeds the model's context of "
                + contextLength + " tokens; nothing was truncated: split the input into smaller chunks");
        this.promptTokens = promptTokens;
        this.maxNewTokens = maxNewTokens;
        this.contextLength = contextLength;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int maxNewTokens() {
        return maxNewTokens;
    }

    public int contextLength() {
        return contextLength;
    }
}
