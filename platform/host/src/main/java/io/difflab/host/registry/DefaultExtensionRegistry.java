package io.difflab.host.registry;

import io.difflab.api.ExtensionRegistry;
import io.difflab.api.Named;
import io.difflab.api.UserError;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The registry of extensions by point and name. Two extensions of one point with the same
 * name (from two plugins) are reported by {@link #duplicates()}, and asking for that name fails
 * naming both: which one would win depends on load order, and a run must be reproducible.
 *
 * <p>The extensions are gathered on first use, so that extensions can themselves receive the
 * registry by injection (they look things up when they work, not in their constructors).
 */
public final class DefaultExtensionRegistry implements ExtensionRegistry {

    private final Supplier<? extends Collection<RegisteredExtension>> source;
    /** point -> name -> providers (more than one: a duplicate). */
    private Map<Class<?>, TreeMap<String, List<RegisteredExtension>>> byPoint;

    /** A registry over the extensions {@code source} yields when first needed. */
    public DefaultExtensionRegistry(Supplier<? extends Collection<RegisteredExtension>> source) {
        this.source = source;
    }

    /** A registry over {@code extensions}. */
    public DefaultExtensionRegistry(Collection<RegisteredExtension> extensions) {
        this(() -> List.copyOf(extensions));
    }

    @Override
    public <T extends Named> T get(Class<T> point, String name) {
        List<RegisteredExtension> providers = index(point).get(name);
        if (providers == null) {
            throw new UserError(unknownName(point, name));
        }
        if (providers.size() > 1) {
            throw new UserError(duplicate(point, name, providers) + "; remove one of these plugins");
        }
        return point.cast(providers.get(0).extension());
    }

    @Override
    public <T extends Named> List<T> all(Class<T> point) {
        return index(point).values().stream().flatMap(List::stream).map(e -> point.cast(e.extension())).toList();
    }

    /** The registered names of {@code point}, sorted. */
    public List<String> names(Class<? extends Named> point) {
        return List.copyOf(index(point).keySet());
    }

    /** Who provides {@code name} for {@code point} (several for a duplicate), sorted by source. */
    public List<RegisteredExtension> providers(Class<? extends Named> point, String name) {
        return List.copyOf(index(point).getOrDefault(name, List.of()));
    }

    /** The message for an unknown name: the valid names, and the closest one when it looks like a typo. */
    public String unknownName(Class<?> point, String name) {
        List<String> valid = List.copyOf(index(point).keySet());
        String noun = ExtensionKind.nounOf(point);
        if (valid.isEmpty()) {
            return "no " + noun + " named '" + name + "': none is installed (see `difflab plugins`)";
        }
        return "no " + noun + " named '" + name + "'" + Suggestions.didYouMean(name, valid)
                + " (installed: " + String.join(", ", valid) + ")";
    }

    /** One message per name provided by more than one plugin. */
    public List<String> duplicates() {
        List<String> messages = new ArrayList<>();
        built().forEach((point, names) -> names.forEach((name, providers) -> {
            if (providers.size() > 1) {
                messages.add(duplicate(point, name, providers));
            }
        }));
        return messages;
    }

    private static String duplicate(Class<?> point, String name, List<RegisteredExtension> providers) {
        return ExtensionKind.nounOf(point) + " '" + name + "' is provided by more than one plugin: "
                + String.join(", ", providers.stream().map(RegisteredExtension::source).toList());
    }

    private TreeMap<String, List<RegisteredExtension>> index(Class<?> point) {
        return built().getOrDefault(point, new TreeMap<>());
    }

    private synchronized Map<Class<?>, TreeMap<String, List<RegisteredExtension>>> built() {
        if (byPoint == null) {
            Map<Class<?>, TreeMap<String, List<RegisteredExtension>>> built = new LinkedHashMap<>();
            List<RegisteredExtension> all = new ArrayList<>(source.get());
            all.sort(Comparator.comparing(RegisteredExtension::source));
            for (RegisteredExtension e : all) {
                built.computeIfAbsent(e.point(), p -> new TreeMap<>())
                        .computeIfAbsent(e.name(), n -> new ArrayList<>()).add(e);
            }
            byPoint = built;
        }
        return byPoint;
    }

    /** The entry for {@code name}, when exactly one plugin provides it. */
    public Optional<RegisteredExtension> find(Class<? extends Named> point, String name) {
        List<RegisteredExtension> providers = index(point).get(name);
        return providers != null && providers.size() == 1 ? Optional.of(providers.get(0)) : Optional.empty();
    }
}
