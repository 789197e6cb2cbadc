package dev.nightshift.jobs;

import dev.nightshift.jobs.cli.Build;
import dev.nightshift.jobs.cli.CommandRunner;
import dev.nightshift.jobs.cli.DataLayout;
import dev.nightshift.jobs.cli.HelpCommand;
import dev.nightshift.jobs.cli.TempFiles;
import dev.nightshift.jobs.mcp.McpCommand;
import dev.nightshift.jobs.model.BenchCommand;
import dev.nightshift.jobs.model.ModelCommand;
import dev.nightshift.jobs.read.AskCommand;
import dev.nightshift.jobs.read.ExportCommand;
import dev.nightshift.jobs.read.FailuresCommand;
import dev.nightshift.jobs.read.GroundCommand;
import dev.nightshift.jobs.read.ReportCommand;
import dev.nightshift.jobs.read.SearchCommand;
import dev.nightshift.jobs.read.ShowCommand;
import dev.nightshift.jobs.read.StatusCommand;
import dev.nightshift.jobs.run.ExtractCommand;
import dev.nightshift.jobs.run.SummarizeCommand;
import dev.nightshift.jobs.run.TranslateCommand;

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
        subcommands = {SummarizeCommand.class, TranslateCommand.class, ExtractCommand.class, StatusCommand.class, SearchCommand.class, ReportCommand.class, GroundCommand.class, AskCommand.class, McpCommand.class, ShowCommand.class, ExportCommand.class,
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
        return CommandRunner.run(new Main(), out, err, args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nightshift " + Build.version()};
        }
    }
}
