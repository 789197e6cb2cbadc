/**
 * Summaries: extractive ({@code TextRankSummarizer}, bounded in words and characters) and model-made
 * ({@code ModelSummarizer}, a map-reduce tree over chunks whose every node keeps its lineage).
 */
package dev.nightshift.pipeline.summarize;
