package io.difflab.host.inject;

import io.difflab.api.Progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** One progress bar on the console (see {@link ConsoleProgressFactory}). */
final class ConsoleProgress implements Progress {

    private static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long PLAIN_LINE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier clock;
    private final String label;
    private final long total;
    private final String unit;
    private final long startNanos;
    private long done;
    private String status = "";
    private long lastDrawNanos;
    private boolean drawn;
    private long lastTenth;
    private boolean closed;

    ConsoleProgress(PrintStream out, boolean terminal, LongSupplier clock, String label, long total, String unit) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.startNanos = clock.getAsLong();
        this.lastDrawNanos = startNanos;
    }

    @Override
    public synchronized void step(long n, String status) {
        done += n;
        this.status = status == null ? "" : status;
        long now = clock.getAsLong();
        if (terminal) {
            if (!drawn || now - lastDrawNanos >= REDRAW_NANOS || total > 0 && done >= total) {
                out.print("\r" + line(now, true) + "\033[K");
                out.flush();
                drawn = true;
                lastDrawNanos = now;
            }
        } else {
            long tenth = total > 0 ? Math.min(10, done * 10 / total) : 0;
            if (tenth > lastTenth || now - lastDrawNanos >= PLAIN_LINE_NANOS) {
                out.println(line(now, false));
                lastDrawNanos = now;
                lastTenth = tenth;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long now = clock.getAsLong();
        if (terminal) {
            out.println("\r" + line(now, true) + "\033[K");
        } else if (lastTenth < 10 || total <= 0) {
            out.println(line(now, false));
        }
        out.flush();
    }

    /** The progress line at time {@code now}, with or without the bar. */
    String line(long now, boolean bar) {
        StringBuilder s = new StringBuilder(label);
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        if (total > 0) {
            double fraction = Math.min(1.0, (double) done / total);
            if (bar) {
                int filled = (int) Math.round(fraction * BAR_WIDTH);
                s.append(" [").append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append(']');
            }
            s.append(String.format(Locale.ROOT, " %3d%% %d/%d %s", (int) Math.floor(fraction * 100), done, total, unit));
        } else {
            s.append(' ').append(done).append(' ').append(unit);
        }
        s.append(String.format(Locale.ROOT, "  %.1f %s/s", rate, unit));
        if (total > 0 && done < total) {
            s.append("  ETA ").append(rate > 0 ? duration((total - done) / rate) : "?");
        } else {
            s.append("  in ").append(duration(seconds));
        }
        if (!status.isEmpty()) {
            s.append("  ").append(status);
        }
        return s.toString();
    }

    /** {@code 45s}, {@code 2m01s}, {@code 1h02m}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
