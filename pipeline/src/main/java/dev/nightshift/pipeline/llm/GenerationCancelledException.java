package dev.nightshift.pipeline.llm;

/** A generation given up because the run is stopping (see {@link GemmaEngine#cancelWhen}); nothing is wrong with the input. */
public final class GenerationCancelledException extends RuntimeException {
    public GenerationCancelledException() {
        super("generation cancelled: the run is stopping");
    }
}
