package dev.nightshift.pipeline.core;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What is asked of a generator, with everything that determines its output. Two tasks with the same
 * {@link #key()} produce the same text from the same input, which is what makes skipping unchanged
 * documents and caching generated text correct.
 *
 * @param name          {@code summary}, {@code translation:de}, ...: its {@link TaskKind}'s word first
 * @param method        {@code extractive} or {@code model}
 * @param model         the model folder (null for methods without a model)
 * @param modelDigest   a digest of the model files and dtype (null without a model)
 * @param promptName    prompt template name (null without a prompt)
 * @param promptVersion prompt template version
 * @param promptHash    SHA-256 of the prompt template text
 * @param parameters    generation parameters, e.g. max tokens, temperature, seed
 */
public record Task(
        String name,
        String method,
        String model,
        String modelDigest,
        String promptName,
        String promptVersion,
        String promptHash,
        Map<String, String> parameters) {

    public Task {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(method, "method");
        TaskKind.of(name); // a name of no kind is refused here, not when a run first asks for its kind
        parameters = Map.copyOf(new TreeMap<>(parameters));
    }

    /** What kind of task this is, and so how the run treats it. */
    public TaskKind kind() {
        return TaskKind.of(name);
    }

    /** Parameters as stable text, sorted by name: {@code k1=v1;k2=v2}. */
    public String parametersText() {
        return new TreeMap<>(parameters).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(";"));
    }

    /** SHA-256 over everything that determines the output. */
    public String key() {
        String identity = String.join("\n", name, method, String.valueOf(modelDigest),
                String.valueOf(promptName), String.valueOf(promptVersion), String.valueOf(promptHash),
                parametersText());
        return Hashing.sha256(identity.getBytes(StandardCharsets.UTF_8));
    }
}
