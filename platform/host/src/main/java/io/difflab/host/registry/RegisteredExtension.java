package io.difflab.host.registry;

import io.difflab.api.Named;

import java.util.Objects;

/**
 * One extension as the registry holds it.
 *
 * @param point     the extension point it is registered under
 * @param name      its {@link Named#name()}
 * @param extension the (singleton) instance
 * @param source    the id of the plugin providing it, or {@code system} for the platform's own
 */
public record RegisteredExtension(Class<? extends Named> point, String name, Named extension, String source) {

    public RegisteredExtension {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(source, "source");
        if (!point.isInstance(extension)) {
            throw new IllegalArgumentException(extension.getClass().getName() + " is not a " + point.getName());
        }
    }
}
