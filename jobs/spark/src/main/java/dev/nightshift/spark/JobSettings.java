package dev.nightshift.spark;

import java.io.Serializable;

/**
 * What every partition needs to know, sent to the executors with the job.
 *
 * @param jobId  names this job's results, so that importing them twice is recognized
 * @param out    where partitions commit their results (a URI)
 * @param threads extraction processes and document workers per partition
 * @param model   a model folder every executor can read, or null for extractive summaries
 */
record JobSettings(String jobId, String out, dev.nightshift.pipeline.job.TaskSpec task, int threads, int timeoutSeconds, String arguments,
                   String model, String dtype, int contextBudget, int batch) implements Serializable {
}
