/**
 * What a run is asked to do, independent of where it runs: {@link dev.nightshift.pipeline.job.TaskSpec} turns the
 * options of {@code summarize} and {@code translate} (on the command line or on Spark) into the document task.
 */
package dev.nightshift.pipeline.job;
