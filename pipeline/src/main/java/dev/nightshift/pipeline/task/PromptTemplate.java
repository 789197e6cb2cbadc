package dev.nightshift.pipeline.task;

import dev.nightshift.pipeline.core.Hashing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * A versioned prompt file from {@code prompts/NAME.vVERSION.txt} on the classpath, with
 * {@code {placeholders}}. Its name, version and hash go into every output made with it, so a changed
 * prompt is a changed task (and a rerun regenerates).
 */
public record PromptTemplate(String name, String version, String text) {
    public PromptTemplate {
        Objects.requireNonNull(name);
        Objects.requireNonNull(version);
        Objects.requireNonNull(text);
    }

    public static PromptTemplate load(String name, String version) {
        String resource = "/prompts/" + name + ".v" + version + ".txt";
        try (InputStream in = PromptTemplate.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing prompt template " + resource);
            return new PromptTemplate(name, version, new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String hash() {
        return Hashing.sha256(text);
    }

    /** Replaces each {@code {key}}; the text goes in last so that braces inside it are left alone. */
    public String render(Map<String, String> values, String text) {
        String out = this.text;
        for (Map.Entry<String, String> e : values.entrySet()) out = out.replace("{" + e.getKey() + "}", e.getValue());
        return out.replace("{text}", text);
    }
}
