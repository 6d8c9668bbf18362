package io.difflab.kit.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.difflab.api.Condition;
import io.difflab.api.Denoiser;
import io.difflab.api.DenoiserOutput;
import io.difflab.api.StepGuidance;
import io.difflab.api.UserError;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A denoiser guided without a classifier, over any condition kinds (Ho &amp; Salimans 2021, eq. 6
 * with s = 1 + w; the survey's eq. 12): jointly, ε̃ = ε(x_t, ∅) + s·(ε(x_t, c) − ε(x_t, ∅)) with every
 * guided condition set to its kind's ∅ in the unconditional pass; or with a scale per condition,
 * ε̃ = ε(x_t, ∅) + Σ_i s_i·(ε(x_t, c_i) − ε(x_t, ∅)), where c_i keeps condition i alone (Liu et al.
 * 2022, composable diffusion, eq. 10). Conditions not guided keep their values in every pass.
 *
 * <p>As in GLIDE's {@code model_fn}, the passes are one call of the wrapped denoiser on the
 * stacked batch ([x_t; x_t] for joint guidance, 1 + k copies for k per-condition scales). The learned
 * variance fraction, and guidance from an inner head, come from the fully conditional pass
 * unguided, as GLIDE does (its variance channels pass through); so with a learned variance, s = 0
 * pairs the unconditional ε with the conditional Σ. Gradient guidance composes around it, not
 * inside it: the denoiser it wraps must return no {@link io.difflab.api.StepGuidance} of its own.
 */
public final class ClassifierFreeDenoiser implements Denoiser {

    private final Denoiser conditional;
    private final List<String> names;
    private final double[] scales;

    /**
     * Joint guidance of every condition the batch carries.
     *
     * @param conditional a denoiser of a network trained with condition dropout
     * @param scale       the guidance scale s ≥ 0
     */
    public ClassifierFreeDenoiser(Denoiser conditional, double scale) {
        this(conditional, List.of(), new double[] {scale});
    }

    /**
     * @param conditional a denoiser of a network trained with condition dropout
     * @param names       the conditions to guide: empty for every condition of the batch, jointly
     * @param scales      one scale (joint guidance of {@code names}) or one per name
     */
    public ClassifierFreeDenoiser(Denoiser conditional, List<String> names, double[] scales) {
        if (scales.length != 1 && scales.length != names.size()) {
            throw new IllegalArgumentException("need one scale, or one per guided condition " + names + ", got "
                    + scales.length);
        }
        for (double s : scales) {
            if (!(s >= 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("guidance scales must be finite and >= 0, got " + s);
            }
        }
        this.conditional = conditional;
        this.names = List.copyOf(names);
        this.scales = scales.clone();
    }

    @Override
    public DenoiserOutput predict(NDArray xt, int t, Condition condition) {
        Set<String> guided = new LinkedHashSet<>(names.isEmpty() ? condition.names() : names);
        if (guided.isEmpty() || !condition.names().containsAll(guided)) {
            throw new UserError("classifier-free guidance needs the conditions " + (names.isEmpty() ? "it guides" : guided)
                    + " to guide towards, but the samples carry " + condition.names() + "; use a conditional model "
                    + "family (e.g. cfdg) or guidance 'none'");
        }
        boolean joint = scales.length == 1;
        // the passes: [c; ∅] jointly, or [c; ∅; c_1; ...; c_k] per condition (c first: its Σ is used)
        List<Condition> passes = new ArrayList<>();
        passes.add(condition);
        passes.add(condition.nulled(guided));
        if (!joint) {
            for (String name : guided) {
                Set<String> others = new LinkedHashSet<>(guided);
                others.remove(name);
                passes.add(condition.nulled(others));
            }
        }
        NDManager caller = xt.getManager();
        long n = xt.getShape().get(0);
        try (NDManager sub = caller.newSubManager()) {
            xt.tempAttach(sub);
            NDList copies = new NDList();
            passes.forEach(p -> copies.add(xt));
            Condition stacked = Condition.concat(passes);
            stacked.arrays().forEach(a -> a.attach(sub));
            DenoiserOutput all = conditional.predict(NDArrays.concat(copies), t, stacked);
            NDArray uncond = part(all.epsilon(), 1, n);
            NDArray guidedEps;
            if (joint) {
                // Ho & Salimans 2021, eq. 6: (1 + w)·ε(x_t, c) − w·ε(x_t, ∅), written with s = 1 + w
                guidedEps = uncond.add(part(all.epsilon(), 0, n).sub(uncond).mul(scales[0]));
            } else {
                guidedEps = uncond;
                for (int i = 0; i < scales.length; i++) {
                    guidedEps = guidedEps.add(part(all.epsilon(), 2 + i, n).sub(uncond).mul(scales[i]));
                }
            }
            if (all.guidance() != StepGuidance.NONE) {
                throw new IllegalStateException("classifier-free guidance wraps an unguided denoiser; "
                        + "put gradient guidance around it");
            }
            NDArray fraction = all.varianceFraction() == null ? null : part(all.varianceFraction(), 0, n);
            guidedEps.attach(caller);
            if (fraction != null) {
                fraction.attach(caller);
            }
            return new DenoiserOutput(guidedEps, fraction, StepGuidance.NONE);
        }
    }

    /** Rows [k·n, (k+1)·n) of a stacked output. */
    private static NDArray part(NDArray stacked, int k, long n) {
        return stacked.get("{}:{}", k * n, (k + 1) * n);
    }
}
