package io.difflab.api;

import java.util.List;

/** Finds extensions by point and name (host service, injectable). */
public interface ExtensionRegistry {

    /**
     * The extension of {@code point} named {@code name}.
     *
     * @throws UserError when there is none, listing the valid names
     */
    <T extends Named> T get(Class<T> point, String name);

    /** Every extension of {@code point}, sorted by name. */
    <T extends Named> List<T> all(Class<T> point);
}
