/**
 * Fields out of documents with a JSON schema ({@code nightshift extract}): {@code FieldSchema} is the subset
 * taken (refused with every problem otherwise) and validates values; {@code SchemaGrammar} the JSON it allows,
 * as a {@code constrain.Grammar}; {@code SchemaConstraint} compiles it once per schema and tokenizer;
 * {@code SchemaExtractor} is the document task (each chunk asked for the object under the constraint);
 * {@code FieldValues} looks every value up in its chunk ({@code ground.ValueSearch}) and merges the chunks'
 * objects into the document's, each value a core {@code FieldValue} with its evidence and span.
 */
package dev.nightshift.pipeline.extract;
