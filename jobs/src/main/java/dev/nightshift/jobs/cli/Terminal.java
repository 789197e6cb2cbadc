package dev.nightshift.jobs.cli;

import dev.nightshift.pipeline.core.Visible;

/** Text from outside made safe to print on a terminal: see {@link Visible}. */
public final class Terminal {
    private Terminal() {
    }

    public static String safe(String text) {
        return Visible.safe(text);
    }

    /** On one line: line breaks and tabs become visible too. */
    public static String line(String text) {
        return Visible.line(text);
    }
}
