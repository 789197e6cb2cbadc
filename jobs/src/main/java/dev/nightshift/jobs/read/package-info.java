/**
 * The commands that read a database, as the user sees it: {@code status}, {@code show}, {@code failures},
 * {@code export}, {@code report}, {@code search}, {@code ask}, {@code ground}, and the JSON shapes the MCP server
 * shares with them ({@code StatusJson}, {@code LineageJson}, {@code AnswerJson}). Text from documents and file names
 * reaches the terminal through {@code cli.Terminal}. Depends on {@code run} (the run-state file, model options) and
 * {@code cli}.
 */
package dev.nightshift.jobs.read;
