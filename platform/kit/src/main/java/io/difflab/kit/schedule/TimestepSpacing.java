package io.difflab.kit.schedule;

import io.difflab.api.DiffusionSchedule;
import io.difflab.api.UserError;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * Which original timesteps a respaced schedule keeps, as guided-diffusion's
 * {@code space_timesteps} (Nichol &amp; Dhariwal 2021, sec. 4): evenly spaced counts per section,
 * or the DDIM form {@code ddimN}, an integer stride from 0 (Song et al. 2021, sec. 4.2); and the
 * noise-level spacings of the ODE solvers (Karras et al. 2022's σ^{1/ρ}-uniform steps, Lu et al.
 * 2022's uniform logSNR), quantized to the nearest distinct timesteps. The result goes to
 * {@link io.difflab.api.DiffusionSchedule#respace(int[])}.
 */
public final class TimestepSpacing {

    private TimestepSpacing() {
    }

    /** {@code count} timesteps evenly spaced over 0..T−1, first and last included (for count ≥ 2). */
    public static int[] evenly(int timesteps, int count) {
        return sections(timesteps, count);
    }

    /**
     * Splits 0..T−1 into {@code counts.length} equal sections (the first T mod k one longer) and
     * takes {@code counts[i]} evenly spaced steps from section i, rounding half to even as Python's
     * {@code round} does.
     */
    public static int[] sections(int timesteps, int... counts) {
        requirePositive(timesteps);
        if (counts.length == 0 || counts.length > timesteps) {
            throw new UserError("cannot split " + timesteps + " timesteps into " + counts.length + " sections");
        }
        int sizePer = timesteps / counts.length;
        int extra = timesteps % counts.length;
        int start = 0;
        TreeSet<Integer> kept = new TreeSet<>();
        for (int i = 0; i < counts.length; i++) {
            int size = sizePer + (i < extra ? 1 : 0);
            int count = counts[i];
            if (count < 1 || count > size) {
                throw new UserError(counts.length == 1
                        ? "cannot take " + count + " steps of " + timesteps + " timesteps; use between 1 and " + size
                        : "cannot take " + count + " steps from section " + (i + 1) + " of " + counts.length + ", "
                        + size + " of the " + timesteps + " timesteps; use between 1 and " + size);
            }
            double fracStride = count <= 1 ? 1.0 : (double) (size - 1) / (count - 1);
            double cur = 0.0;
            for (int k = 0; k < count; k++) {
                kept.add(start + (int) Math.rint(cur));
                cur += fracStride;
            }
            start += size;
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether an integer stride gives exactly {@code count} of {@code timesteps} (then {@link #ddim} works). */
    public static boolean hasStride(int timesteps, int count) {
        for (int stride = 1; stride < Math.max(timesteps, 2); stride++) {
            if ((timesteps + stride - 1) / stride == count) {
                return true;
            }
        }
        return false;
    }

    /** The DDIM form: 0, s, 2s, ... below T for the integer stride s that gives exactly {@code count} steps. */
    public static int[] ddim(int timesteps, int count) {
        requirePositive(timesteps);
        for (int stride = 1; stride < Math.max(timesteps, 2); stride++) {
            if ((timesteps + stride - 1) / stride == count) {
                int[] kept = new int[count];
                for (int i = 0; i < count; i++) {
                    kept[i] = i * stride;
                }
                return kept;
            }
        }
        throw new UserError("cannot take exactly " + count + " of " + timesteps
                + " timesteps with an integer stride; use evenly spaced steps instead");
    }

    /**
     * Parses guided-diffusion's string form: {@code "ddim50"} or comma-separated section counts
     * such as {@code "10,15,20"} (a single count {@code "50"}: 50 evenly spaced steps).
     */
    public static int[] parse(int timesteps, String spacing) {
        String s = spacing.strip();
        try {
            if (s.startsWith("ddim")) {
                return ddim(timesteps, Integer.parseInt(s.substring(4)));
            }
            return sections(timesteps, Arrays.stream(s.split(",", -1)).map(String::strip)
                    .mapToInt(Integer::parseInt).toArray());
        } catch (NumberFormatException e) {
            throw new UserError("timestep spacing '" + spacing + "' is neither a step count N, 'ddimN' (DDIM's "
                    + "stride) nor a list of counts per section like '10,15,20'");
        }
    }

    /** Whether {@code spacing} is a plain step count N (no {@code ddim}, no sections). */
    public static boolean isCount(String spacing) {
        return spacing.strip().matches("\\d+");
    }

    /**
     * The σ^{1/ρ}-uniform noise levels of Karras et al. 2022 (eq. 5) from the schedule's largest
     * σ = √((1 − ᾱ)/ᾱ) down to its smallest, quantized to {@code count} distinct timesteps.
     */
    public static int[] karras(DiffusionSchedule schedule, int count, double rho) {
        double max = sigma(schedule, schedule.timesteps() - 1);
        double min = sigma(schedule, 0);
        double[] sigmas = new double[count];
        for (int i = 0; i < count; i++) {
            double f = count == 1 ? 0 : (double) i / (count - 1);
            // Karras et al. 2022, eq. 5: σ_i = (σ_max^{1/ρ} + i/(N−1)(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ
            sigmas[i] = Math.pow(Math.pow(max, 1 / rho) + f * (Math.pow(min, 1 / rho) - Math.pow(max, 1 / rho)), rho);
        }
        return nearest(schedule, sigmas);
    }

    /**
     * Noise levels uniform in logSNR λ = log(ᾱ/(1 − ᾱ)) between the schedule's ends (Lu et al. 2022,
     * sec. 3.3, their choice for low-resolution images), quantized to {@code count} distinct timesteps.
     */
    public static int[] logSnr(DiffusionSchedule schedule, int count) {
        double max = Math.log(sigma(schedule, schedule.timesteps() - 1));
        double min = Math.log(sigma(schedule, 0));
        double[] sigmas = new double[count];
        for (int i = 0; i < count; i++) {
            double f = count == 1 ? 0 : (double) i / (count - 1);
            sigmas[i] = Math.exp(max + f * (min - max)); // λ = −2 log σ
        }
        return nearest(schedule, sigmas);
    }

    /**
     * The distinct timesteps nearest (in log σ) to the given noise levels, ascending: each level
     * takes its nearest timestep, moved up past the one below it where two would coincide and down
     * below the one above where that overflows, so that exactly {@code sigmas.length} remain.
     */
    static int[] nearest(DiffusionSchedule schedule, double[] sigmas) {
        int total = schedule.timesteps();
        int n = sigmas.length;
        if (n < 1 || n > total) {
            throw new UserError("cannot take " + n + " steps of " + total + " timesteps; use between 1 and " + total);
        }
        double[] logSigma = new double[total];
        for (int t = 0; t < total; t++) {
            logSigma[t] = Math.log(sigma(schedule, t));
        }
        double[] targets = sigmas.clone();
        Arrays.sort(targets);
        int[] kept = new int[n];
        for (int i = 0; i < n; i++) {
            double target = Math.log(targets[i]);
            int k = Arrays.binarySearch(logSigma, target); // σ_t increases with t
            int at = k >= 0 ? k : -k - 1;
            if (at >= total || (at > 0 && target - logSigma[at - 1] < logSigma[at] - target)) {
                at--;
            }
            kept[i] = Math.max(at, i == 0 ? 0 : kept[i - 1] + 1);
        }
        for (int i = n - 1; i >= 0; i--) {
            kept[i] = Math.min(kept[i], i == n - 1 ? total - 1 : kept[i + 1] - 1);
        }
        return kept;
    }

    /** σ_t = √((1 − ᾱ_t)/ᾱ_t), the noise level of x_t/√ᾱ_t (Karras et al. 2022, sec. 2). */
    public static double sigma(DiffusionSchedule schedule, int t) {
        return Math.sqrt((1.0 - schedule.alphaCumprod(t)) / schedule.alphaCumprod(t));
    }

    private static void requirePositive(int timesteps) {
        if (timesteps < 1) {
            throw new UserError("a schedule needs at least 1 timestep, got " + timesteps);
        }
    }
}
