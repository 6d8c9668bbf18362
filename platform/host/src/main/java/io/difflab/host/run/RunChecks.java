package io.difflab.host.run;

import io.difflab.api.DatasetInfo;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.ImageShape;
import io.difflab.api.UserError;
import io.difflab.api.tracking.Tracker;
import io.difflab.host.spec.ExperimentSpec;
import io.difflab.host.spec.SpecException;

/**
 * What {@code run} checks besides the spec (which validation checks, its model assembled included)
 * before it creates anything, its run folder or its tracked run: that the device it asks for is
 * there, that its batches and samples fit in one array, and that its tracking store can be opened
 * and written. Nothing is initialized or written.
 */
final class RunChecks {

    private final ExtensionRegistry registry;
    private final TrackerSource trackers;

    RunChecks(ExtensionRegistry registry, TrackerSource trackers) {
        this.registry = registry;
        this.trackers = trackers;
    }

    /** @throws UserError naming what cannot work */
    void check(ExperimentSpec spec) {
        Devices.resolve(spec.device());
        DatasetInfo dataset = Components.resolve(registry, spec).dataset().describe(spec.dataset());
        fits("train.batch_size", spec.train().batchSize(), dataset.shape());
        fits("train.eval_samples", spec.train().evalSamples(), dataset.shape());
        fits("sample.count", spec.sample().count(), dataset.shape());
        Tracker tracker = trackers.open(spec.tracking().uri());
        if (tracker instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // nothing was started: nothing to lose
            }
        }
    }

    /** One array of {@code count} images must stay within the 2³¹ elements Java arrays (and DJL's buffers) hold. */
    private static void fits(String key, int count, ImageShape shape) {
        long elements = (long) count * shape.size();
        if (elements > Integer.MAX_VALUE) {
            throw new UserError(key + ": " + count + " images of " + shape.channels() + "x" + shape.height() + "x"
                    + shape.width() + " do not fit in one array (at most " + Integer.MAX_VALUE / shape.size()
                    + ")", SpecException.EXIT_CODE, null);
        }
    }
}
