package io.difflab.plugins.cfdg.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the numbers say, as sentences computed from them (the trade-off between fidelity to the
 * class and diversity), and the survey's point on training cost: one estimator for every scale.
 */
final class SweepReading {

    private SweepReading() {
    }

    static String markdown(SweepResults results) {
        List<SweepResults.Row> rows = results.rows();
        SweepResults.Row first = rows.get(0);
        SweepResults.Row last = rows.get(rows.size() - 1);
        StringBuilder md = new StringBuilder("## Reading\n\n");
        md.append(change("cond-accuracy", "eval.cond_accuracy", first, last));
        md.append(change("Precision", "eval.precision", first, last));
        md.append(change("Recall", "eval.recall", first, last));
        SweepResults.Row bestFd = results.argMax("eval.fd", -1);
        if (bestFd != null) {
            md.append(String.format(Locale.ROOT, "- FD is lowest at s = %s (%.2f); at s = %s it is %.2f.%n",
                    GuidanceSweepReport.fmt(bestFd.scale()), bestFd.get("eval.fd"),
                    GuidanceSweepReport.fmt(last.scale()), last.get("eval.fd")));
        }
        md.append("\n## Training cost: one estimator serves every row\n\n");
        Map<String, String> sweep = results.sweep();
        md.append("Every row above comes from the same checkpoint: the network was trained once (")
                .append(sweep.getOrDefault("train.steps", "?")).append(" steps, ")
                .append(sweep.getOrDefault("train.seconds", "?"))
                .append(" s of wall time for the first command, its sampling and evaluation included) and each "
                        + "further scale was only sampled and evaluated (`--resume`, no training step). Because the "
                        + "label was dropped to the null label during training, the same weights give the "
                        + "unconditional model (s = 0, ε(x_t, ∅)), the conditional one (s = 1) and every guided "
                        + "mixture (\"a single neural network to parameterize both models\", Ho & Salimans 2021, "
                        + "sec. 3.2): classifier-free guidance needs neither a separately trained classifier, as "
                        + "classifier guidance does, nor a second, unconditional diffusion model. The price is paid "
                        + "at sampling time instead: ")
                .append(String.format(Locale.ROOT, "%.0f", first.get("sample.nfe")))
                .append(" estimator evaluations per sample (two per step, batched as one call on a doubled batch) "
                        + "for every scale, s = 0 and s = 1 included.\n");
        return md.toString();
    }

    private static String change(String name, String key, SweepResults.Row first, SweepResults.Row last) {
        double a = first.get(key);
        double b = last.get(key);
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return "";
        }
        return String.format(Locale.ROOT, "- %s %s from %.3f at s = %s to %.3f at s = %s.%n", name,
                b > a ? "rises" : b < a ? "falls" : "stays", a, GuidanceSweepReport.fmt(first.scale()), b,
                GuidanceSweepReport.fmt(last.scale()));
    }
}
