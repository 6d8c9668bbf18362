package io.difflab.host.registry;

import io.difflab.api.Metric;
import io.difflab.api.MetricInput;
import io.difflab.api.Sampler;
import io.difflab.api.SamplingRequest;
import io.difflab.api.UserError;
import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultExtensionRegistryTest {

    record TestSampler(String name) implements Sampler {
        @Override
        public NDArray sample(SamplingRequest request) {
            throw new UnsupportedOperationException();
        }
    }

    record TestMetric(String name) implements Metric {
        @Override
        public Map<String, Double> compute(MetricInput input) {
            return Map.of();
        }
    }

    private static RegisteredExtension sampler(String name, String source) {
        return new RegisteredExtension(Sampler.class, name, new TestSampler(name), source);
    }

    private final TestSampler ddim = new TestSampler("ddim");
    private final DefaultExtensionRegistry registry = new DefaultExtensionRegistry(List.of(
            sampler("ancestral", "system"),
            new RegisteredExtension(Sampler.class, "ddim", ddim, "ddpm"),
            new RegisteredExtension(Metric.class, "fd", new TestMetric("fd"), "metrics")));

    @Test
    void findsExtensionsByPointAndName() {
        assertSame(ddim, registry.get(Sampler.class, "ddim"));
        assertEquals("fd", registry.get(Metric.class, "fd").name());
        assertEquals(List.of("ancestral", "ddim"), registry.all(Sampler.class).stream().map(Sampler::name).toList());
        assertEquals(List.of("ancestral", "ddim"), registry.names(Sampler.class));
        assertEquals("ddpm", registry.find(Sampler.class, "ddim").orElseThrow().source());
    }

    @Test
    void unknownNameListsTheValidOnesAndTheClosest() {
        UserError e = assertThrows(UserError.class, () -> registry.get(Sampler.class, "ddin"));
        assertEquals("no sampler named 'ddin'; did you mean 'ddim'? (installed: ancestral, ddim)", e.getMessage());
        assertEquals(1, e.exitCode());
        UserError far = assertThrows(UserError.class, () -> registry.get(Sampler.class, "euler"));
        assertEquals("no sampler named 'euler' (installed: ancestral, ddim)", far.getMessage());
    }

    @Test
    void aPointWithoutExtensionsSaysSo() {
        UserError e = assertThrows(UserError.class, () -> registry.get(io.difflab.api.GuidanceHead.class, "none"));
        assertEquals("no guidance head named 'none': none is installed (see `difflab plugins`)", e.getMessage());
        assertEquals(List.of(), registry.all(io.difflab.api.GuidanceHead.class));
    }

    @Test
    void duplicateNamesAreReportedAndCannotBeUsed() {
        DefaultExtensionRegistry dup = new DefaultExtensionRegistry(List.of(
                sampler("ddim", "ddpm"), sampler("ddim", "fastdpm"), sampler("ancestral", "system")));
        assertEquals(List.of("sampler 'ddim' is provided by more than one plugin: ddpm, fastdpm"), dup.duplicates());
        UserError e = assertThrows(UserError.class, () -> dup.get(Sampler.class, "ddim"));
        assertTrue(e.getMessage().contains("ddpm, fastdpm; remove one of these plugins"), e.getMessage());
        assertEquals("ancestral", dup.get(Sampler.class, "ancestral").name());
        assertEquals(List.of(), registry.duplicates());
    }

    @Test
    void extensionsAreGatheredOnFirstUseOnly() {
        AtomicInteger calls = new AtomicInteger();
        DefaultExtensionRegistry lazy = new DefaultExtensionRegistry(() -> {
            calls.incrementAndGet();
            return List.of(sampler("ancestral", "system"));
        });
        assertEquals(0, calls.get());
        lazy.get(Sampler.class, "ancestral");
        lazy.all(Sampler.class);
        assertEquals(1, calls.get());
    }

    @Test
    void anExtensionMustImplementItsPoint() {
        assertThrows(IllegalArgumentException.class,
                () -> new RegisteredExtension(Metric.class, "x", new TestSampler("x"), "p"));
    }
}
