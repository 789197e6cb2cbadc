package dev.nightshift.pipeline.llm.model;

/** A model folder that cannot be used, or a request the model cannot serve. The message names what is wrong. */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
