package io.difflab.plugins.metrics;

import io.difflab.api.Progress;

/** Test-only progress: a line on stderr every tenth of the way. */
final class StderrProgress implements Progress {

    private final String label;
    private final long total;
    private long done;

    private StderrProgress(String label, long total) {
        this.label = label;
        this.total = total;
    }

    static final Progress.Factory FACTORY = (label, total, unit) -> new StderrProgress(label, total);

    @Override
    public void step(long n, String status) {
        long before = done * 10 / Math.max(1, total);
        done += n;
        if (done * 10 / Math.max(1, total) != before || done == total) {
            System.err.printf("%s %d/%d %s%n", label, done, total, status);
        }
    }

    @Override
    public void close() {
        System.err.printf("%s done%n", label);
    }
}
