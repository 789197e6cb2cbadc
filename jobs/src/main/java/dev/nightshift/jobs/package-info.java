/**
 * The {@code nightshift} command line (picocli). {@link dev.nightshift.jobs.Main} names every command and is the
 * only place that exits the JVM. The packages below, each depending only on those listed after it:
 * {@code mcp} (the MCP server), {@code model} ({@code model}, {@code bench}), {@code read} (the commands that read
 * a database), {@code run} ({@code summarize}, {@code translate} and what a run is made of), {@code cli} (exit
 * codes, one-line errors, the terminal, where data lives).
 */
package dev.nightshift.jobs;
