package io.difflab.api;

import ai.djl.Device;

import java.nio.file.Path;

/**
 * The run an extension works for (host service, injectable).
 *
 * @param name   the run's name
 * @param seed   the run's seed
 * @param device where arrays live (CPU or a GPU), from the spec's {@code device}
 * @param runDir the run folder: resolved spec, checkpoints, samples
 */
public record RunContext(String name, long seed, Device device, Path runDir) { }
