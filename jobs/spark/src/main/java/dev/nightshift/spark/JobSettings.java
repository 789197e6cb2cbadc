package dev.nightshift.spark;

import java.io.Serializable;

/**
 * What every partition needs to know, sent to the executors with the job.
 *
 * @param jobId  names this job's results, so that importing them twice is recognized
 * @param out    where partitions commit their results (a URI)
 * @param threads extraction processes and document workers per partition
 */
record JobSettings(String jobId, String out, int words, String style, int threads, int timeoutSeconds, String arguments)
        implements Serializable {
}
