package dev.nightshift.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code nightshift help [COMMAND [SUBCOMMAND]...]}: the help of any command at any depth ({@code help
 * model generate}); picocli's own help command looks one level down only.
 */
@Command(name = "help", helpCommand = true, description = "Show the help of a command, e.g. 'help summarize' or 'help model generate'.")
public final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command and its subcommands.")
    List<String> path = List.of();

    private CommandLine parent;
    private CommandLine.Help.Ansi ansi;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.parent = helpCommandLine.getParent();
        this.ansi = colorScheme.ansi();
    }

    @Override
    public void run() {
        CommandLine target = parent;
        if (!path.isEmpty() && (path.get(0).equals("spark") || path.get(0).equals("import"))) {
            // scripts/nightshift answers these from the Spark jars; this jar does not hold them.
            parent.getOut().println("'" + path.get(0) + "' runs from the Spark jars: ask scripts/nightshift for 'help " + path.get(0)
                    + "', or run java -cp 'jobs/spark/target/nightshift-spark.jar:jobs/spark/target/lib/*' dev.nightshift.spark.SparkMain "
                    + path.get(0).replace("spark", "").strip() + " --help");
            parent.getOut().flush();
            return;
        }
        for (String name : path) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) {
                throw new CommandLine.ParameterException(parent, "unknown command: " + String.join(" ", path)
                        + " (commands of '" + target.getCommandName() + "': " + String.join(", ", target.getSubcommands().keySet()) + ")");
            }
            target = next;
        }
        PrintWriter writer = target.getOut();
        writer.print(target.getUsageMessage(ansi));
        writer.flush();
    }
}
