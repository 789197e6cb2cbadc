package dev.nightshift.pipeline.llm.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.nightshift.pipeline.chunk.TokenCounter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The model's own {@code tokenizer.json} through DJL's binding of Hugging Face tokenizers. DJL
 * truncates to 512 tokens unless told otherwise, silently; here truncation and padding are always
 * off, and special tokens are never added: prompts carry their own {@code <bos>} from the chat template.
 */
public final class GemmaTokenizer implements TokenCounter, AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final String name;

    private GemmaTokenizer(HuggingFaceTokenizer tokenizer, String name) {
        this.tokenizer = tokenizer;
        this.name = name;
    }

    public static GemmaTokenizer load(Path tokenizerJson, String name) {
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "truncation", "false",
                    "padding", "false",
                    "addSpecialTokens", "false"));
            return new GemmaTokenizer(t, name);
        } catch (IOException | RuntimeException e) {
            throw new ModelException("cannot load the tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** Token ids of {@code text}; special tokens written in the text ({@code <bos>}, turn markers) are recognized. */
    public long[] encode(String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        return encoding.getIds();
    }

    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    @Override
    public int count(String text) {
        return encode(text).length;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
