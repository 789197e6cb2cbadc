/**
 * Constrained decoding: output held to a regular language token by token. {@code Grammar} writes the language
 * over bytes (literals, byte sets, sequences, choices, repetition, an object's members in order);
 * {@code ByteDfa} compiles it (Thompson NFA, subset construction over classes of bytes); {@code TokenVocabulary}
 * is the model's pieces as bytes in a trie; {@code AutomatonConstraint} is the {@code llm.TokenConstraint}
 * requests carry: per state, the tokens whose bytes the automaton allows and after which the output can still be
 * completed in the tokens left, found by one walk of the trie, shared by states that allow the same strings up
 * to the longest token (leading to the same distances), and computed ahead for every class ({@code prepare}). Knows nothing of JSON: {@code extract} writes the grammar of a schema.
 */
package dev.nightshift.pipeline.constrain;
