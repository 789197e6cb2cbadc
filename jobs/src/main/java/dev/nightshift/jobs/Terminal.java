package dev.nightshift.jobs;

import dev.nightshift.pipeline.core.Visible;

/** Text from outside made safe to print on a terminal: see {@link Visible}. */
final class Terminal {
    private Terminal() {
    }

    static String safe(String text) {
        return Visible.safe(text);
    }

    /** On one line: line breaks and tabs become visible too. */
    static String line(String text) {
        return Visible.line(text);
    }
}
