package io.difflab.api;

/** A progress bar for long work (host service): rate, ETA and a status text. */
public interface Progress extends AutoCloseable {

    /** Advances by {@code n} units and replaces the status text (e.g. {@code loss 0.031}). */
    void step(long n, String status);

    @Override
    void close();

    /** Starts progress bars (host service, injectable). */
    interface Factory {
        Progress start(String label, long total, String unit);
    }
}
