package io.difflab.kit.schedule;

import io.difflab.api.Config;
import io.difflab.api.DiffusionSchedule;
import io.difflab.api.NoiseSchedule;
import io.difflab.api.Option;
import io.difflab.api.UserError;
import org.pf4j.Extension;

import java.util.List;

/**
 * The cosine schedule of Nichol &amp; Dhariwal 2021 (eq. 17): ᾱ_t = f(t)/f(0) with
 * f(t) = cos²(((t/T + s)/(1 + s))·π/2), and β_t = 1 − ᾱ_t/ᾱ_{t−1} clipped at 0.999.
 */
@Extension
public class CosineSchedule implements NoiseSchedule {

    /** The offset s that keeps β_t from being too small near t = 0 (Nichol &amp; Dhariwal 2021, sec. 3.2). */
    public static final double DEFAULT_OFFSET = 0.008;
    /** The clip on β_t that prevents singularities near t = T (Nichol &amp; Dhariwal 2021, sec. 3.2). */
    public static final double DEFAULT_MAX_BETA = 0.999;

    @Override
    public String name() {
        return "cosine";
    }

    @Override
    public String description() {
        return "cosine alpha-bar schedule with offset s=0.008 (Nichol & Dhariwal 2021, eq. 17)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.real("offset", DEFAULT_OFFSET, 0.0, 1.0, "the offset s in f(t)"),
                Option.real("max_beta", DEFAULT_MAX_BETA, 0.0, 1.0, "upper clip on each beta"));
    }

    @Override
    public DiffusionSchedule build(int timesteps, Config config) {
        double offset = config.getDouble("offset");
        double maxBeta = config.getDouble("max_beta");
        if (timesteps < 1) {
            throw new UserError(config.path() + ".timesteps: must be at least 1, got " + timesteps,
                    LinearSchedule.INVALID_SPEC, null);
        }
        if (!(maxBeta > 0)) {
            throw new UserError(config.path() + ".max_beta: must be above 0, got " + maxBeta,
                    LinearSchedule.INVALID_SPEC, null);
        }
        return DiffusionSchedule.fromBetas(betas(timesteps, offset, maxBeta));
    }

    /** Nichol &amp; Dhariwal 2021's schedule (s = 0.008, β clipped at 0.999) over {@code timesteps}. */
    public static DiffusionSchedule of(int timesteps) {
        CosineSchedule cosine = new CosineSchedule();
        return cosine.build(timesteps, Config.of("schedule", cosine.options(), java.util.Map.of()));
    }

    /**
     * β_i = min(1 − f((i+1)/T) / f(i/T), maxBeta) for i = 0..T−1 (guided-diffusion
     * {@code betas_for_alpha_bar}), so ᾱ_i = f((i+1)/T) / f(0) wherever nothing is clipped.
     */
    static double[] betas(int timesteps, double offset, double maxBeta) {
        double[] betas = new double[timesteps];
        for (int i = 0; i < timesteps; i++) {
            double t1 = (double) i / timesteps;
            double t2 = (double) (i + 1) / timesteps;
            betas[i] = Math.min(1.0 - f(t2, offset) / f(t1, offset), maxBeta);
        }
        return betas;
    }

    /** f(t) = cos²(((t + s)/(1 + s))·π/2) for t in [0, 1] (Nichol &amp; Dhariwal 2021, eq. 17). */
    public static double f(double t, double offset) {
        double c = Math.cos((t + offset) / (1.0 + offset) * Math.PI / 2.0);
        return c * c;
    }
}
