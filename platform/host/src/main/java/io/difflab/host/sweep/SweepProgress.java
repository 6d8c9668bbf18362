package io.difflab.host.sweep;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One line per cell start and end ({@code cell 3/12}), with the time left estimated from the cells
 * done so far: cells that train and cells that only sample take the mean time of their own kind.
 */
final class SweepProgress {

    private final PrintWriter out;
    private final String sweep;
    private final int total;
    private final int parallel;
    private final LongSupplier nanoClock;
    private final List<Long> trainingNanos = new ArrayList<>();
    private final List<Long> samplingNanos = new ArrayList<>();
    private int trainingLeft;
    private int samplingLeft;

    /**
     * @param total       the cells this start runs
     * @param trainings   how many of them train
     */
    SweepProgress(PrintWriter out, String sweep, int total, int trainings, int parallel, LongSupplier nanoClock) {
        this.out = out;
        this.sweep = sweep;
        this.total = total;
        this.parallel = Math.max(1, parallel);
        this.nanoClock = nanoClock;
        this.trainingLeft = trainings;
        this.samplingLeft = total - trainings;
    }

    long now() {
        return nanoClock.getAsLong();
    }

    synchronized void started(int ordinal, SweepCell cell, String how) {
        line("cell " + ordinal + "/" + total + " " + cell.id() + ": started, " + how);
    }

    synchronized void note(int ordinal, SweepCell cell, String what) {
        line("cell " + ordinal + "/" + total + " " + cell.id() + ": " + what);
    }

    /** A cell ended after {@code nanos}; {@code trained} says whether it trained. */
    synchronized void ended(int ordinal, SweepCell cell, CellStatus status, boolean trained, long nanos, String detail) {
        if (trained) {
            trainingLeft = Math.max(0, trainingLeft - 1);
            trainingNanos.add(nanos);
        } else {
            samplingLeft = Math.max(0, samplingLeft - 1);
            samplingNanos.add(nanos);
        }
        line("cell " + ordinal + "/" + total + " " + cell.id() + ": " + status + " in " + format(nanos)
                + (detail.isEmpty() ? "" : " (" + detail + ")") + eta());
    }

    /** The cells of a key whose training failed do not train: count them as sampling cells. */
    synchronized void trainingCancelled() {
        trainingLeft = Math.max(0, trainingLeft - 1);
        samplingLeft++;
    }

    private String eta() {
        int left = trainingLeft + samplingLeft;
        if (left == 0) {
            return "";
        }
        Double train = mean(trainingNanos, samplingNanos);
        Double sample = mean(samplingNanos, trainingNanos);
        if (train == null) {
            return "; " + left + " left";
        }
        long nanos = (long) ((trainingLeft * train + samplingLeft * sample) / parallel);
        return "; " + left + " left, ETA " + format(nanos) + " (~" + LocalTime.now().plusNanos(nanos)
                .format(DateTimeFormatter.ofPattern("HH:mm")) + ")";
    }

    private static Double mean(List<Long> own, List<Long> other) {
        List<Long> use = own.isEmpty() ? other : own;
        return use.isEmpty() ? null : use.stream().mapToLong(Long::longValue).average().orElse(0);
    }

    static String format(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        if (d.toHours() > 0) {
            return d.toHours() + "h " + d.toMinutesPart() + "m";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m " + d.toSecondsPart() + "s";
        }
        return d.toSeconds() + "s";
    }

    private void line(String text) {
        out.println("[sweep " + sweep + "] " + text);
        out.flush();
    }
}
