package io.difflab.host.spec;

import io.difflab.api.Config;

/**
 * The spec's {@code sample} section.
 *
 * @param count     images to generate
 * @param batchSize images per sampling batch
 */
public record SampleSettings(int count, int batchSize) {

    static SampleSettings of(Config c) {
        return new SampleSettings(c.getInt("count"), c.getInt("batch_size"));
    }
}
