package io.difflab.kit.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.difflab.api.Condition;
import io.difflab.api.Config;
import io.difflab.api.Denoiser;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.SamplingRequest;
import io.difflab.api.SamplingStep;
import io.difflab.api.VarianceType;
import io.difflab.kit.schedule.LinearSchedule;
import io.difflab.kit.schedule.TimestepSpacing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deterministic samplers against the probability-flow ODE's closed form. In x̄ = x/√ᾱ and
 * σ = √((1 − ᾱ)/ᾱ) the ODE is dx̄/dσ = ε(x̄, σ) (Karras et al. 2022, eq. 3); for data N(μ, s²) per
 * dimension ε = σ(x̄ − μ)/(s² + σ²), so x̄(σ) − μ = (x̄(σ_T) − μ)·√(s² + σ²)/√(s² + σ_T²); for a point
 * mass (s = 0) it is linear in σ. In float64, with the plain ODE (no clipping).
 */
class OdeSolversTest {

    private static final double MU = 0.3;
    private static final double S = 0.5;
    /** T − 1 = 8192 = 2^13, so that 2^k + 1 evenly spaced steps are exactly equal in t. */
    private static final DiffusionSchedule FINE = LinearSchedule.of(8193);
    /** 8193 steps whose σ_k = 0.01 + k·Δ rises linearly to 2: evenly spaced steps are equal steps in σ. */
    private static final DiffusionSchedule SIGMA_LINEAR = sigmaLinear(8193, 0.01, 2);
    private static final Map<String, ReverseProcessSampler> SOLVERS = new LinkedHashMap<>();
    private static NDManager manager;

    static {
        SOLVERS.put("ddim", new DdimSampler());
        SOLVERS.put("euler", new EulerSampler());
        SOLVERS.put("heun", new HeunSampler());
        SOLVERS.put("dpm-solver++", new DpmSolverPlusPlusSampler());
        SOLVERS.put("plms", new PlmsSampler());
    }

    /** The schedule with ᾱ_k = 1/(1 + σ_k²) for σ_k linear in k (β_k = 1 − ᾱ_k/ᾱ_{k−1}). */
    static DiffusionSchedule sigmaLinear(int steps, double min, double max) {
        double[] betas = new double[steps];
        double previous = 1.0;
        for (int k = 0; k < steps; k++) {
            double sigma = min + (max - min) * k / (steps - 1);
            double alphaBar = 1 / (1 + sigma * sigma);
            betas[k] = 1 - alphaBar / previous;
            previous = alphaBar;
        }
        return DiffusionSchedule.fromBetas(betas);
    }

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    static SamplingRequest request(NDManager m, ReverseProcessSampler sampler, DiffusionSchedule schedule,
                                   Denoiser denoiser, List<NDArray> states) {
        Config config = Config.of("sampler", sampler.options(), Map.of("clip_denoised", false));
        return new SamplingRequest(m, schedule, denoiser, VarianceType.FIXED_SMALL, new Shape(8, 1, 1, 1),
                Condition.none(), new SeededNoiseSource(1), config, (SamplingStep step) -> {
                    NDArray kept = step.x().duplicate();
                    kept.attach(m);
                    states.add(kept);
                });
    }

    static NDArray start(NDManager m) {
        return new SeededNoiseSource(21).normal(m, new Shape(8, 1, 1, 1)).toType(DataType.FLOAT64, false);
    }

    /** The VP sample at step {@code step} of {@code schedule} on the exact ODE path from x_T (σ = 0 below step 0). */
    static double[] exact(DiffusionSchedule schedule, double[] xT, double s, int step) {
        int last = schedule.timesteps() - 1;
        double sigmaT = TimestepSpacing.sigma(schedule, last);
        double sigma = step < 0 ? 0 : TimestepSpacing.sigma(schedule, step);
        double scale = step < 0 ? 1 : schedule.sqrtAlphaCumprod(step);
        double[] out = new double[xT.length];
        for (int i = 0; i < xT.length; i++) {
            double barT = xT[i] / schedule.sqrtAlphaCumprod(last);
            out[i] = scale * (MU + (barT - MU) * Math.sqrt(s * s + sigma * sigma) / Math.sqrt(s * s + sigmaT * sigmaT));
        }
        return out;
    }

    static double maxError(NDArray x, double[] expected) {
        double[] v = x.toDoubleArray();
        double e = 0;
        for (int i = 0; i < v.length; i++) {
            e = Math.max(e, Math.abs(v[i] - expected[i]));
        }
        return e;
    }

    /** For a point mass the ODE path is linear in σ: every solver's every step lands on it. */
    @Test
    void everySolverFollowsThePointMassPathExactlyAtEveryStep() {
        DiffusionSchedule schedule = LinearSchedule.of(1000).respace(TimestepSpacing.sections(1000, 7));
        for (Map.Entry<String, ReverseProcessSampler> solver : SOLVERS.entrySet()) {
            try (NDManager m = manager.newSubManager()) {
                List<NDArray> states = new ArrayList<>();
                NDArray xT = start(m);
                double[] xTValues = xT.toDoubleArray();
                NDArray x = solver.getValue().sampleFrom(request(m, solver.getValue(), schedule,
                        AnalyticDenoisers.pointMass(schedule, MU), states), xT);
                for (int index = 0; index < states.size(); index++) {
                    int reachedStep = schedule.timesteps() - 2 - index;
                    assertEquals(0.0, maxError(states.get(index), exact(schedule, xTValues, 0, reachedStep)), 1e-9,
                            solver.getKey() + " after step " + index);
                }
                assertEquals(0.0, maxError(x, exact(schedule, xTValues, 0, -1)), 1e-9, solver.getKey());
            }
        }
    }

    /** Euler's step over σ is DDIM's η = 0 step (Karras et al. 2022, sec. 3): on the same timesteps they agree. */
    @Test
    void eulerIsDdimOnTheSameTimesteps() {
        DiffusionSchedule schedule = LinearSchedule.of(1000).respace(TimestepSpacing.ddim(1000, 20));
        try (NDManager m = manager.newSubManager()) {
            Denoiser denoiser = AnalyticDenoisers.gaussian(schedule, MU, S);
            NDArray a = new EulerSampler().sampleFrom(request(m, new EulerSampler(), schedule, denoiser,
                    new ArrayList<>()), start(m));
            NDArray b = new DdimSampler().sampleFrom(request(m, new DdimSampler(), schedule, denoiser,
                    new ArrayList<>()), start(m));
            assertEquals(0.0, a.sub(b).abs().max().getDouble(), 1e-12);
        }
    }

    /**
     * The error at the smallest noise level against the closed form on each grid of kept timesteps
     * (the state after the walk's second-to-last step: the sample at step 0, σ_min, not 0).
     */
    static double[] errors(ReverseProcessSampler sampler, DiffusionSchedule full, List<int[]> grids) {
        double[] errors = new double[grids.size()];
        for (int c = 0; c < grids.size(); c++) {
            DiffusionSchedule schedule = full.respace(grids.get(c));
            try (NDManager m = manager.newSubManager()) {
                List<NDArray> states = new ArrayList<>();
                NDArray xT = start(m);
                double[] xTValues = xT.toDoubleArray();
                sampler.sampleFrom(request(m, sampler, schedule, AnalyticDenoisers.gaussian(schedule, MU, S), states), xT);
                errors[c] = maxError(states.get(states.size() - 2), exact(schedule, xTValues, S, 0));
            }
        }
        return errors;
    }

    /** Least-squares slope of log(error) against log(h), h = 1/(N − 1), over the given points. */
    static double order(int[] counts, double[] errors, int from) {
        int n = counts.length - from;
        double mx = 0;
        double my = 0;
        for (int i = from; i < counts.length; i++) {
            mx += Math.log(1.0 / (counts[i] - 1)) / n;
            my += Math.log(errors[i]) / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = from; i < counts.length; i++) {
            double dx = Math.log(1.0 / (counts[i] - 1)) - mx;
            sxy += dx * (Math.log(errors[i]) - my);
            sxx += dx * dx;
        }
        return sxy / sxx;
    }

    /**
     * The order p of error ∝ h^p, fitted over 9 to 129 steps (the finest three for the multistep
     * methods, whose start-up dominates on coarse grids), each on a grid its method is built for:
     * steps evenly spaced in t (exact multiples on the 8193-step linear schedule) for the one-step
     * methods, uniform in logSNR for DPM-Solver++ (its own spacing; it adapts to uneven steps through
     * r_i), and equal in σ for PLMS, whose fixed Adams–Bashforth weights assume equal steps of the
     * variable its DDIM transfer is exact in (x̄ and σ). There PLMS is fourth order (Adams–Bashforth
     * 4) once started, and at least third: its start-up (a pseudo improved Euler step, then AB2) has
     * local errors O(h³) in a fixed number of steps (measured: 3.8 over 33 to 129 steps).
     */
    @Test
    void solversConvergeToTheClosedFormAtTheirOrder() {
        int[] counts = {9, 17, 33, 65, 129};
        List<int[]> even = new ArrayList<>();
        List<int[]> logSnr = new ArrayList<>();
        for (int n : counts) {
            even.add(TimestepSpacing.sections(FINE.timesteps(), n));
            logSnr.add(TimestepSpacing.logSnr(FINE, n));
        }
        Map<String, double[]> expectedOrder = Map.of(
                "ddim", new double[] {0.9, 1.2}, "euler", new double[] {0.9, 1.2},
                "heun", new double[] {1.9, 2.2}, "dpm-solver++", new double[] {1.8, 2.3},
                "plms", new double[] {2.7, 4.3});
        StringBuilder table = new StringBuilder();
        Map<String, Double> orders = new LinkedHashMap<>();
        Map<String, double[]> all = new LinkedHashMap<>();
        for (Map.Entry<String, ReverseProcessSampler> solver : SOLVERS.entrySet()) {
            String name = solver.getKey();
            double[] e = switch (name) {
                case "dpm-solver++" -> errors(solver.getValue(), FINE, logSnr);
                case "plms" -> errors(solver.getValue(), SIGMA_LINEAR, even);
                default -> errors(solver.getValue(), FINE, even);
            };
            double p = order(counts, e, name.equals("dpm-solver++") || name.equals("plms") ? 2 : 0);
            orders.put(name, p);
            all.put(name, e);
            table.append(String.format("%-13s order %.2f, errors %s%n", name, p, java.util.Arrays.toString(e)));
        }
        System.out.print(table);
        for (String solver : SOLVERS.keySet()) {
            double[] e = all.get(solver);
            for (int i = 1; i < e.length; i++) {
                assertTrue(e[i] < e[i - 1], solver + " error falls with more steps:\n" + table);
            }
            double[] range = expectedOrder.get(solver);
            assertTrue(orders.get(solver) >= range[0] && orders.get(solver) <= range[1], solver + " order outside "
                    + java.util.Arrays.toString(range) + ":\n" + table);
        }
    }
}
