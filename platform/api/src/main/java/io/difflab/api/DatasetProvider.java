package io.difflab.api;

import org.pf4j.ExtensionPoint;

/** Extension point: a source of training and reference images, selected by {@code dataset.name}. */
public interface DatasetProvider extends ExtensionPoint, Named {

    /**
     * Loads a split.
     *
     * @throws UserError when the data is missing or unreadable, saying how to get it
     */
    ImageDataset load(Config config, Split split);

    /**
     * What {@link #load} would give for the training split, without loading the images where the
     * dataset can tell (used to validate specs before anything runs). By default it loads the split.
     *
     * @throws UserError when the data is missing or unreadable
     */
    default DatasetInfo describe(Config config) {
        return DatasetInfo.of(load(config, Split.TRAIN));
    }
}
