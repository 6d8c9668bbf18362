package io.difflab.datasets.shapes.evaluator;

import io.difflab.api.Progress;

/** Test-only progress: a line on stderr every tenth of the way, with the elapsed seconds. */
final class StderrProgress implements Progress {

    static final Progress.Factory FACTORY = (label, total, unit) -> new StderrProgress(label, total);

    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private long done;

    private StderrProgress(String label, long total) {
        this.label = label;
        this.total = total;
    }

    @Override
    public void step(long n, String status) {
        long before = done * 10 / Math.max(1, total);
        done += n;
        if (done * 10 / Math.max(1, total) != before || done == total) {
            System.err.printf("%s %d/%d %s (%.0f s)%n", label, done, total, status, (System.nanoTime() - start) / 1e9);
        }
    }

    @Override
    public void close() {
        System.err.printf("%s done in %.0f s%n", label, (System.nanoTime() - start) / 1e9);
    }
}
