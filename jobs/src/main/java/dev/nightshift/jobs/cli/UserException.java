package dev.nightshift.jobs.cli;

/** A problem the user can fix, reported as one clear message and an exit code, without a stack trace. */
public final class UserException extends RuntimeException {
    private final int exitCode;

    public UserException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
