package io.difflab.host.spec;

import io.difflab.api.DatasetProvider;
import io.difflab.api.GuidanceHead;
import io.difflab.api.Metric;
import io.difflab.api.ModelFamily;
import io.difflab.api.Named;
import io.difflab.api.NoiseEstimator;
import io.difflab.api.NoiseSchedule;
import io.difflab.api.Option;
import io.difflab.api.Sampler;
import io.difflab.host.registry.DefaultExtensionRegistry;
import io.difflab.host.registry.RegisteredExtension;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A tiny registry of fake extensions: names, options and (for model families) defaults only. */
public final class FakeExtensions {

    private final List<RegisteredExtension> extensions = new ArrayList<>();

    /** The extensions the spec tests use. */
    public static FakeExtensions standard() {
        return new FakeExtensions()
                .add(ModelFamily.class, "ddpm", List.of(), Map.of())
                .add(ModelFamily.class, "gd", List.of(Option.real("lambda_vlb", 0.001, 0, 1, "weight of L_vlb")),
                        Map.of("schedule.name", "cosine", "schedule.s", 0.008, "train.lr", 1.0e-4,
                                "metrics", List.of(Map.of("name", "fd"))))
                .add(ModelFamily.class, "autoregressive", List.of(Option.integer("layers", 2, 1, 64, "depth"),
                        Option.integer("top_k", 0, 0, 1000, "draw among the k most likely tokens")), Map.of())
                .add(DatasetProvider.class, "fashion-mnist", List.of(), Map.of())
                .add(DatasetProvider.class, "image-folder",
                        List.of(Option.choice("root", null, List.of(), "the folder of images")), Map.of())
                .add(NoiseSchedule.class, "linear", List.of(Option.real("beta_start", 1e-4, 0, 1, "β_1"),
                        Option.real("beta_end", 0.02, 0, 1, "β_T")), Map.of())
                .add(NoiseSchedule.class, "cosine", List.of(Option.real("s", 0.008, 0, 1, "offset s")), Map.of())
                .add(NoiseEstimator.class, "unet", List.of(Option.integer("base_channels", 32, 1, 1024, "width"),
                        Option.intList("channel_mult", List.of(1, 2, 2), 1, 16, "width per resolution")), Map.of())
                .add(Sampler.class, "ancestral", List.of(), Map.of())
                .add(Sampler.class, "ddim", List.of(Option.real("eta", 0.0, 0, 1, "η")), Map.of())
                .add(GuidanceHead.class, "none", List.of(), Map.of())
                .add(GuidanceHead.class, "classifier", List.of(Option.real("scale", 1.0, 0, 100, "s")), Map.of())
                .add(Metric.class, "fd", List.of(Option.integer("samples", 1000, 1, 100_000, "n")), Map.of())
                .add(Metric.class, "bpd", List.of(), Map.of());
    }

    /** Adds a fake {@code point} named {@code name}. */
    public <T extends Named> FakeExtensions add(Class<T> point, String name, List<Option> options, Map<String, Object> defaults) {
        Object fake = Proxy.newProxyInstance(point.getClassLoader(), new Class<?>[] {point}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "name" -> name;
                    case "options" -> options;
                    case "description" -> "fake " + name;
                    case "defaults" -> defaults;
                    // a family named "autoregressive" is no diffusion model: it reads no diffusion sections
                    case "sections" -> name.equals("autoregressive") ? Set.of() : ModelFamily.DIFFUSION_SECTIONS;
                    // and only its sampling reads top_k
                    case "samplingOptions" -> name.equals("autoregressive") ? Set.of("top_k") : Set.of();
                    case "toString" -> "fake " + point.getSimpleName() + " " + name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        extensions.add(new RegisteredExtension(point, name, point.cast(fake), "test"));
        return this;
    }

    /** Adds {@code point} named {@code name} again, as if a second plugin provided it. */
    <T extends Named> FakeExtensions duplicate(Class<T> point, String name, String source) {
        RegisteredExtension first = extensions.stream().filter(e -> e.point() == point && e.name().equals(name))
                .findFirst().orElseThrow();
        extensions.add(new RegisteredExtension(point, name, first.extension(), source));
        return this;
    }

    public DefaultExtensionRegistry registry() {
        return new DefaultExtensionRegistry(extensions);
    }
}
