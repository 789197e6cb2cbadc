/**
 * The {@code nightshift} command line (picocli): every command answers {@code -h}/{@code --help}; {@link dev.nightshift.jobs.Main}
 * is the only place that exits the JVM. Jobs open the store, build the task and the run's shared generator, run
 * {@link dev.nightshift.pipeline.run.DocumentRun} with progress on stderr, and print the closing summary. Text from
 * outside (file names, parser messages) goes to the terminal through {@code Terminal.safe}.
 */
package dev.nightshift.jobs;
