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
}
