package dev.nightshift.pipeline.job;

import dev.nightshift.pipeline.extract.ExtractionSchema;
import dev.nightshift.pipeline.extract.SchemaExtractor;
import dev.nightshift.pipeline.core.TaskKind;
import dev.nightshift.pipeline.llm.GemmaEngine;
import dev.nightshift.pipeline.llm.Generator;
import dev.nightshift.pipeline.llm.SamplingParams;
import dev.nightshift.pipeline.summarize.ModelSummarizer;
import dev.nightshift.pipeline.summarize.SummaryStyle;
import dev.nightshift.pipeline.summarize.TextRankSummarizer;
import dev.nightshift.pipeline.task.DocumentTask;
import dev.nightshift.pipeline.task.ResultCache;
import dev.nightshift.pipeline.translate.ModelTranslator;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * What a user asked a run to do with each document, as the command line and the Spark job both take it, made
 * into the {@link DocumentTask} the same way on one machine and in every Spark partition: the same options give
 * the same task key, so a Spark run's results and a local run's are interchangeable. Serializable: Spark sends it
 * to its executors.
 *
 * @param words    summaries: about this many words
 * @param style    summaries: paragraph or bullets
 * @param language summaries by a model: write them in this language (a BCP 47 tag), or null for each document's own
 * @param overlap  summaries by a model: tokens of the previous chunk repeated at the start of each chunk
 * @param to       translations: the target language (a BCP 47 tag)
 * @param from     translations: the source language, or null to detect each document's
 * @param schema   extractions: the schema's name and its JSON text (parsed where the task is built)
 * @param maxTokens extractions: the most tokens of one chunk's object
 */
public record TaskSpec(TaskKind kind, int words, SummaryStyle style, String language, int overlap, String to, String from,
                       Schema schema, int maxTokens)
        implements Serializable {
    /** A schema as it travels to Spark's executors: its name and text. */
    public record Schema(String name, String json) implements Serializable {
    }

    public TaskSpec {
        Objects.requireNonNull(kind, "kind");
        if (kind != TaskKind.SUMMARY && kind != TaskKind.TRANSLATION && kind != TaskKind.EXTRACT) throw new IllegalArgumentException(kind + " is not a run's task");
        if (kind == TaskKind.EXTRACT && schema == null) throw new IllegalArgumentException("an extraction needs a schema");
        if (overlap < 0) throw new IllegalArgumentException("--overlap cannot be negative");
        if (kind == TaskKind.TRANSLATION && (to == null || to.isBlank())) throw new IllegalArgumentException("a translation needs a target language");
    }

    public static TaskSpec summary(int words, SummaryStyle style, Locale language, int overlap) {
        return new TaskSpec(TaskKind.SUMMARY, words, style, language == null ? null : language.toLanguageTag(), overlap, null, null, null, 0);
    }

    public static TaskSpec translation(Locale to, Locale from) {
        return new TaskSpec(TaskKind.TRANSLATION, 0, null, null, 0, to.toLanguageTag(), from == null ? null : from.toLanguageTag(), null, 0);
    }

    /** Fields read with {@code schema} (its text is parsed again where the task is built: it must be of the subset). */
    public static TaskSpec extraction(ExtractionSchema schema, int maxTokens) {
        return new TaskSpec(TaskKind.EXTRACT, 0, null, null, 0, null, null, new Schema(schema.name(), schema.json()), maxTokens);
    }

    /**
     * The document task: a translation or a model's summary with {@code engine}, an extractive summary without one.
     *
     * @throws IllegalArgumentException when the settings cannot work with this model (a context too small for the
     *                                  prompt, a translation without a model)
     */
    public DocumentTask build(GemmaEngine engine, Generator generator, int contextBudget, ResultCache cache) {
        if (kind == TaskKind.EXTRACT) {
            if (engine == null) throw new IllegalArgumentException("an extraction needs a model");
            ExtractionSchema parsed;
            try {
                parsed = ExtractionSchema.of(schema.name(), schema.json());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("the schema " + schema.name() + " is not JSON: " + e.getMessage(), e);
            }
            return new SchemaExtractor(engine, parsed, contextBudget, generator, SamplingParams.GREEDY, maxTokens);
        }
        if (kind == TaskKind.TRANSLATION) {
            if (engine == null) throw new IllegalArgumentException("a translation needs a model");
            return new ModelTranslator(engine, Locale.forLanguageTag(to), from == null ? null : Locale.forLanguageTag(from), contextBudget,
                    generator, SamplingParams.GREEDY, cache);
        }
        if (engine == null) return new TextRankSummarizer(words, style);
        return new ModelSummarizer(engine, words, style, language == null ? null : Locale.forLanguageTag(language), contextBudget, generator,
                SamplingParams.GREEDY, cache).withOverlap(overlap);
    }
}
