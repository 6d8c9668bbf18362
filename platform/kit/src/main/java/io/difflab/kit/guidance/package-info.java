/**
 * Guidance heads that steer sampling with the gradient of an auxiliary network, and the training
 * of the networks they use; and classifier-free guidance, which needs none: it mixes the
 * estimator's own conditional and unconditional predictions.
 *
 * <p>The noise-aware classifier convention (Dhariwal &amp; Nichol 2021, sec. 4), shared by
 * {@link io.difflab.kit.guidance.NoisyClassifierObjective} and
 * {@link io.difflab.kit.guidance.ClassifierGuidance}: a block whose input is an {@code NDList}
 * of x_t (N, C, H, W) and the timestep t of the original, un-respaced schedule (N, float32), and
 * whose output is one (N, K) array of logits, so that log p(y | x_t, t) = log_softmax(logits)_y.
 * Model families provide it as the auxiliary network named {@code classifier}.
 */
package io.difflab.kit.guidance;
