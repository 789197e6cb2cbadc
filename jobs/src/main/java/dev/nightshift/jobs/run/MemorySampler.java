package dev.nightshift.jobs.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Peak resident memory of this process and all its descendants (extraction children included), summed,
 * sampled from /proc every 100 ms. Linux only; elsewhere it reports 0.
 */
public final class MemorySampler implements AutoCloseable {
    private final AtomicLong peakKb = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public MemorySampler() {
        thread = new Thread(() -> {
            while (running) {
                peakKb.accumulateAndGet(totalRssKb(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    public long peakMb() {
        return peakKb.get() / 1024;
    }

    private static long totalRssKb() {
        ProcessHandle self = ProcessHandle.current();
        try (Stream<ProcessHandle> all = Stream.concat(Stream.of(self), self.descendants())) {
            return all.mapToLong(p -> rssKb(p.pid())).sum();
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between listing and reading, or this is not Linux
        }
        return 0;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
