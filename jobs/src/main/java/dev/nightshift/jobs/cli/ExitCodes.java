package dev.nightshift.jobs.cli;

/** The process exit codes, as documented in the README. */
public final class ExitCodes {
    /** Everything asked for was done. */
    public static final int OK = 0;
    /** The run itself failed (database locked or unwritable, a generation error outside any document). */
    public static final int RUN_FAILED = 1;
    /** Bad usage: an unknown option, an input path that does not exist, a --model folder that is not a model. */
    public static final int USAGE = 2;
    /** The run finished, but some documents failed or had their text cut off (each is recorded with its reason). */
    public static final int SOME_FAILED = 3;
    /** A bug in nightshift: the details are in the log file. */
    public static final int INTERNAL = 4;

    private ExitCodes() {
    }
}
