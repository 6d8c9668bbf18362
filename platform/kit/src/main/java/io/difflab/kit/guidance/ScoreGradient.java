package io.difflab.kit.guidance;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.difflab.api.Condition;

/**
 * ∇_{x_t} Σ_i F(x_t, t, c)_i by the engine's autograd on a copy of x_t that requires a gradient.
 * Samples are independent, so the gradient of the sum is every sample's own gradient at once.
 */
public final class ScoreGradient {

    private ScoreGradient() {
    }

    /** The gradient, shaped like x_t, in x_t's manager. */
    public static NDArray of(ScoreFunction score, NDArray xt, int timestep, Condition condition) {
        NDManager caller = xt.getManager();
        try (NDManager sub = caller.newSubManager()) {
            NDArray x = xt.duplicate();
            x.attach(sub);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getEngine(sub.getEngine().getEngineName())
                    .newGradientCollector()) {
                NDArray f = score.score(x, timestep, condition);
                f.attach(sub);
                collector.backward(f.sum());
            }
            NDArray gradient = x.getGradient().duplicate();
            gradient.attach(caller);
            return gradient;
        }
    }
}
