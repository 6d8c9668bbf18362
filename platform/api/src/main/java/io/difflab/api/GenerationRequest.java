package io.difflab.api;

import ai.djl.ndarray.NDManager;

import java.util.List;
import java.util.Map;

/**
 * What the host asks a {@link Model} to generate.
 *
 * @param manager   where the samples end up (its device is used throughout)
 * @param trained   the run's trained networks (during training: those trained so far)
 * @param requested the raw condition values per field for every sample ({@code count} each), for the
 *                  fields in {@link Model#sampleFields()}
 * @param count     how many samples
 * @param batchSize samples per batch
 * @param seed      the run's seed
 * @param progress  progress reporting
 */
public record GenerationRequest(NDManager manager, TrainedNetworks trained, Map<String, List<Object>> requested,
                                int count, int batchSize, long seed, Progress.Factory progress) {

    public GenerationRequest {
        requested = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(requested));
    }
}
