package dev.nightshift.pipeline.llm;

/**
 * The run's shared generator has stopped for good (an {@link Error} in its worker: out of memory, a
 * native failure): every request waiting on it and every later one fails with this, and a run stops on
 * it with the reason rather than failing its documents one by one.
 */
public final class GeneratorFailedException extends RuntimeException {
    public GeneratorFailedException(Throwable cause) {
        super("the generator stopped: " + cause, cause);
    }
}
