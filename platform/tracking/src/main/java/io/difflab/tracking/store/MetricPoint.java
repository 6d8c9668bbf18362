package io.difflab.tracking.store;

/**
 * One logged metric value: a line {@code "timestamp value step"} of a metric file in MLflow's
 * file store ({@code FileStore._log_run_metric}: {@code f"{timestamp} {value} {step}\n"}).
 *
 * @param timestamp milliseconds since the epoch
 * @param value     the value (NaN and infinities allowed, as in MLflow)
 * @param step      the training step
 */
public record MetricPoint(long timestamp, double value, long step) {

    /** The file line, with its trailing newline; non-finite values as Python writes them. */
    public String toLine() {
        return timestamp + " " + formatValue(value) + " " + step + "\n";
    }

    /**
     * Parses a complete line (without its newline). MLflow also accepts two fields, the step
     * then being 0 ({@code FileStore._get_metric_from_line}).
     *
     * @throws IllegalArgumentException when the line is not 2 or 3 numeric fields
     */
    public static MetricPoint parse(String line) {
        String[] parts = line.strip().split(" ");
        if (parts.length != 2 && parts.length != 3) {
            throw new IllegalArgumentException("metric line has " + parts.length + " fields: " + line);
        }
        try {
            long step = parts.length == 3 ? Long.parseLong(parts[2]) : 0L;
            return new MetricPoint(Long.parseLong(parts[0]), parseValue(parts[1]), step);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metric line is not numeric: " + line, e);
        }
    }

    /** Python's spelling of non-finite floats (what {@code str(float)} writes and reads). */
    static String formatValue(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return Double.toString(v);
    }

    static double parseValue(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "nan", "+nan", "-nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(s);
        }
    }
}
