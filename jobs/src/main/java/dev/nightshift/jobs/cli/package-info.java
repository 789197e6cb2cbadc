/**
 * Command-line plumbing every command uses: {@link dev.nightshift.jobs.cli.CommandRunner} (help options, one-line
 * errors, exit codes), {@link dev.nightshift.jobs.cli.ExitCodes}, {@link dev.nightshift.jobs.cli.UserException},
 * {@link dev.nightshift.jobs.cli.Terminal} (text from outside made visible and harmless), and where things live:
 * {@link dev.nightshift.jobs.cli.DataLayout}, {@link dev.nightshift.jobs.cli.DataOptions} ({@code --db}, reading a
 * locked database through its copy), {@link dev.nightshift.jobs.cli.TempFiles}, {@link dev.nightshift.jobs.cli.Outputs}
 * (a file written whole). Depends on no other package of {@code jobs}.
 */
package dev.nightshift.jobs.cli;
