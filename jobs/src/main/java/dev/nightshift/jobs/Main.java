package dev.nightshift.jobs;

import dev.nightshift.pipeline.store.StoreException;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code nightshift} command line. {@link #main} is the only place that exits the JVM; everything
 * else returns an exit code (see {@link ExitCodes}), so tests can run commands in-process.
 */
@Command(name = "nightshift",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Summarize and translate whole document archives offline, with small Gemma models.",
        footer = {"", "On Spark (from the Spark jars, through scripts/nightshift):",
                "  spark      Summarize or translate on Spark into Parquet ('help spark').",
                "  import     Merge a Spark run's results into the database ('help import')."},
        subcommands = {SummarizeCommand.class, TranslateCommand.class, StatusCommand.class, SearchCommand.class, ReportCommand.class, GroundCommand.class, AskCommand.class, McpCommand.class, ShowCommand.class, ExportCommand.class,
                FailuresCommand.class, ModelCommand.class, BenchCommand.class,
                HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        if (System.getProperty("nightshift.logdir") == null) {
            System.setProperty("nightshift.logdir", DataLayout.current().logs().toString());
        }
        TempFiles.sweep(DataLayout.temp());
        int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        LogManager.shutdown();
        System.exit(code);
    }

    /** Runs one command line; returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
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
            LogManager.getLogger(Main.class).error("internal error", e);
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
        command.getSubcommands().values().forEach(Main::addHelpOptions);
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nightshift " + version()};
        }
    }
}
