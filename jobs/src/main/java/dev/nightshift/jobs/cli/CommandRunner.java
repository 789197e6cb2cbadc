package dev.nightshift.jobs.cli;

import dev.nightshift.pipeline.store.StoreException;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * How a command line is run: help options on every command, one-line messages and exit codes for what goes wrong,
 * work folders made before a command that works, and words starting with '-' kept as words for search and ask.
 */
public final class CommandRunner {
    private CommandRunner() {
    }

    /**
     * Runs one command line on {@code root} (the {@code nightshift} command, or one command by itself, as
     * {@code bench run} runs {@code summarize}); returns its exit code. A {@link UserException} or a
     * {@link StoreException} is said in one line with its exit code; anything else is logged as an internal error.
     */
    public static int run(Object root, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(root);
        addHelpOptions(cli);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserException u) {
                err.println("nightshift: " + u.getMessage());
                return u.exitCode();
            }
            if (e instanceof StoreException s) {
                err.println("nightshift: " + s.getMessage());
                return ExitCodes.RUN_FAILED;
            }
            LogManager.getLogger(CommandRunner.class).error("internal error", e);
            err.println("nightshift: internal error: " + e);
            err.println("The details are in " + System.getProperty("nightshift.logdir", "the log folder") + "/nightshift.log");
            return ExitCodes.INTERNAL;
        });
        cli.setExecutionStrategy(parseResult -> {
            CommandLine.ParseResult leaf = parseResult;
            boolean help = leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested();
            while (leaf.hasSubcommand()) {
                leaf = leaf.subcommand();
                help |= leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested();
            }
            Object command = leaf.commandSpec().userObject();
            // A group of commands (model) or the bare program only prints its usage.
            boolean works = (command instanceof java.util.concurrent.Callable || command instanceof Runnable)
                    && !(command instanceof DataOptions.ReadsOnly) && !(command instanceof HelpCommand);
            if (works && !help) {
                try {
                    DataOptions.prepareWorkFolders();
                } catch (UserException e) {
                    throw new CommandLine.ExecutionException(leaf.commandSpec().commandLine(), e.getMessage(), e);
                }
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.INTERNAL);
        return cli.execute(wordsAfterOptions(cli, args));
    }

    /**
     * A query or question may start with '-' ("-heating" excludes a word); picocli would read it as the
     * options -h -e -a... and print the help. For search and ask, what is not one of their options goes
     * after "--", where picocli takes everything as words.
     */
    static String[] wordsAfterOptions(CommandLine cli, String[] args) {
        if (args.length < 2 || !(args[0].equals("search") || args[0].equals("ask"))) return args;
        CommandLine.Model.CommandSpec spec = cli.getSubcommands().get(args[0]).getCommandSpec();
        java.util.List<String> options = new java.util.ArrayList<>(java.util.List.of(args[0]));
        java.util.List<String> words = new java.util.ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                words.addAll(java.util.Arrays.asList(args).subList(i + 1, args.length));
                break;
            }
            CommandLine.Model.OptionSpec option = a.startsWith("-") && a.length() > 1 ? spec.findOption(a.split("=", 2)[0]) : null;
            if (option == null) {
                words.add(a);
                continue;
            }
            options.add(a);
            if (!a.contains("=") && option.arity().min() > 0 && i + 1 < args.length) options.add(args[++i]);
        }
        if (words.isEmpty()) return options.toArray(String[]::new);
        options.add("--");
        options.addAll(words);
        return options.toArray(String[]::new);
    }

    /** Every command and subcommand answers -h and --help, before checking anything else it is given. */
    static void addHelpOptions(CommandLine command) {
        CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        if (spec.options().stream().noneMatch(CommandLine.Model.OptionSpec::usageHelp)) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help and exit.").build());
        }
        command.getSubcommands().values().forEach(CommandRunner::addHelpOptions);
    }
}
