package dev.nightshift.jobs;

import dev.nightshift.pipeline.store.Store;

import java.nio.file.Path;
import java.time.Clock;

/** Run in a child JVM by the tests: opens a database like a running nightshift and holds it until stdin closes. */
public final class LockHolder {
    public static void main(String[] args) throws Exception {
        try (Store store = Store.open(Path.of(args[0]), Clock.systemUTC())) {
            store.startRun("summarize", "held by LockHolder", "test");
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }
}
