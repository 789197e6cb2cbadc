package dev.nightshift.pipeline.extract;

import dev.nightshift.pipeline.constrain.AutomatonConstraint;
import dev.nightshift.pipeline.constrain.ByteDfa;
import dev.nightshift.pipeline.constrain.TokenVocabulary;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A schema's constraint for a model's tokenizer, compiled once per pair (the automaton and the masks it
 * caches are shared by every request of a run).
 */
public final class SchemaConstraint {
    private SchemaConstraint() {
    }

    private record Key(FieldSchema.ObjectType schema, Path tokenizer) {
    }

    private static final Map<Key, AutomatonConstraint> COMPILED = new ConcurrentHashMap<>();

    /** The constraint of {@code schema} for a tokenizer, its masks computed ahead (once per process: a few seconds for Gemma's vocabulary). */
    public static AutomatonConstraint of(FieldSchema.ObjectType schema, Path tokenizerJson) {
        return COMPILED.computeIfAbsent(new Key(schema, tokenizerJson.toAbsolutePath().normalize()), k -> {
            AutomatonConstraint c = compile(schema, k.tokenizer());
            c.prepare();
            return c;
        });
    }

    /** A new constraint, no mask computed yet (for the benchmark). */
    public static AutomatonConstraint compile(FieldSchema.ObjectType schema, Path tokenizerJson) {
        return new AutomatonConstraint(ByteDfa.of(SchemaGrammar.of(schema)), TokenVocabulary.of(tokenizerJson));
    }
}
