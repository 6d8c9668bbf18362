package io.difflab.api;

import ai.djl.nn.Block;

/**
 * A built noise-estimator network and its output convention.
 *
 * <p>The block's input is an {@code NDList} of x_t (N,C,H,W float32), the timestep t of the
 * original schedule (N, float32), then the arrays of each condition in {@code spec.conditions()}
 * in that order (a label (N) int32, whose value {@link Condition#NULL_LABEL} or the class count is
 * ∅; tokens and mask; an embedding; ...). Its output is one (N, C or 2C, H, W) array: the
 * prediction named by {@code parameterization}, then, with learned variance, the raw v in [−1, 1]
 * that maps to the interpolation fraction (v + 1) / 2 (Nichol &amp; Dhariwal 2021, eq. 15).
 */
public record EstimatorNetwork(Block block, Parameterization parameterization, EstimatorSpec spec) { }
