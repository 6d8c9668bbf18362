package io.difflab.cli.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;

/**
 * The mean and sample standard deviation of one metric over the runs of a configuration (its
 * seeds): std = √(Σ(x−mean)²/(n−1)), 0 for a single run.
 *
 * @param mean the arithmetic mean
 * @param std  the sample standard deviation (Bessel-corrected)
 * @param n    how many runs logged the metric
 */
public record Stats(double mean, double std, int n) {

    /** The statistics of {@code values}; NaN mean and std when there are none. */
    public static Stats of(List<Double> values) {
        int n = values.size();
        if (n == 0) {
            return new Stats(Double.NaN, Double.NaN, 0);
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n == 1) {
            return new Stats(mean, 0.0, 1);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return new Stats(mean, Math.sqrt(squares / (n - 1)), n);
    }

    /** {@code mean ± std} in four significant digits ({@code mean} alone for one run, {@code -} for none). */
    public String format() {
        if (n == 0) {
            return "-";
        }
        return n == 1 ? number(mean) : number(mean) + " ± " + number(std);
    }

    /**
     * A value as a table shows it: whole numbers in full (1000, 320000), others in four
     * significant digits (0.1235, 12.35), very small or large ones in scientific notation.
     */
    public static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a < 1e-4 || a >= 1e9) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
