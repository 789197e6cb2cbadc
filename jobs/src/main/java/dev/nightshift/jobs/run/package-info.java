/**
 * The commands that run the pipeline, {@code summarize} and {@code translate}, and what a run is made of:
 * {@link dev.nightshift.jobs.run.JobRun} opens the store, builds the task and the run's shared generator, runs
 * {@link dev.nightshift.pipeline.run.DocumentRun} with {@link dev.nightshift.jobs.run.Progress} on stderr (and the
 * run-state file beside the database), keeps the search index in step ({@code IndexingWriter}) and prints the
 * {@link dev.nightshift.jobs.run.Summary}. The shared options: {@code IngestOptions}, {@code ModelOptions},
 * {@code LanguageOption}. Depends on {@code cli}.
 */
package dev.nightshift.jobs.run;
