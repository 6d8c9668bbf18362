package io.difflab.api;

import ai.djl.nn.Block;

/**
 * A built noise-estimator network and its output convention.
 *
 * <p>The block's input is an {@code NDList} of x_t (N,C,H,W float32), the timestep t of the
 * original schedule (N, float32) and, for a conditional network, the labels (N, int32; the value
 * {@code numClasses} is the null label). Its output is one (N, C or 2C, H, W) array: the
 * prediction named by {@code parameterization}, then, with learned variance, the raw v in [−1, 1]
 * that maps to the interpolation fraction (v + 1) / 2 (Nichol &amp; Dhariwal 2021, eq. 15).
 */
public record EstimatorNetwork(Block block, Parameterization parameterization, EstimatorSpec spec) { }
