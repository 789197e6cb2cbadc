package dev.nightshift.pipeline.llm;

import java.nio.file.Path;

/** The tiny model folders under {@code src/test/resources/models} (see the README there). */
public final class TestModels {
    private TestModels() {
    }

    /** The folder of the fixture {@code name}, e.g. {@code tiny-gemma3}. */
    public static Path path(String name) {
        return Path.of("src", "test", "resources", "models", name).toAbsolutePath();
    }
}
