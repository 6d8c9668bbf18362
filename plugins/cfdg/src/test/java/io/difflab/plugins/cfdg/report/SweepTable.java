package io.difflab.plugins.cfdg.report;

import java.util.Locale;

/** The sweep's results as a Markdown table, one row per guidance scale. */
final class SweepTable {

    private SweepTable() {
    }

    /** Column header, the logged key, and the number of decimals. */
    private record Column(String header, String key, int decimals) { }

    private static final Column[] COLUMNS = {
        new Column("FD ↓", "eval.fd", 2),
        new Column("FD floor", "eval.fd.floor", 2),
        new Column("cond-accuracy ↑", "eval.cond_accuracy", 3),
        new Column("precision ↑", "eval.precision", 3),
        new Column("recall ↑", "eval.recall", 3),
        new Column("NFE / sample", "sample.nfe", 0),
        new Column("seconds / sample", "sample.seconds", 3),
    };

    static String markdown(SweepResults results) {
        StringBuilder md = new StringBuilder("| s | w = s − 1 |");
        for (Column c : COLUMNS) {
            md.append(' ').append(c.header()).append(" |");
        }
        md.append("\n|---:|---:|");
        for (int i = 0; i < COLUMNS.length; i++) {
            md.append("---:|");
        }
        md.append('\n');
        for (SweepResults.Row row : results.rows()) {
            md.append("| ").append(GuidanceSweepReport.fmt(row.scale())).append(" | ")
                    .append(GuidanceSweepReport.fmt(row.scale() - 1)).append(" |");
            for (Column c : COLUMNS) {
                double v = row.get(c.key());
                md.append(' ').append(Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + c.decimals() + "f", v))
                        .append(" |");
            }
            md.append('\n');
        }
        SweepResults.Row first = results.rows().get(0);
        double n = first.get("eval.fd.n");
        if (!Double.isNaN(n)) {
            md.append("\nFD, precision and recall from ").append((long) n).append(" samples per scale against the "
                    + "test split, in the features of the metrics plugin's evaluator; the FD floor is that of as many "
                    + "real training images.\n");
        }
        return md.toString();
    }
}
