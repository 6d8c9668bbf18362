package io.difflab.host.run;

import io.difflab.api.DatasetProvider;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.GuidanceHead;
import io.difflab.api.Metric;
import io.difflab.api.ModelFamily;
import io.difflab.api.Named;
import io.difflab.api.NoiseEstimator;
import io.difflab.api.NoiseSchedule;
import io.difflab.api.Sampler;
import io.difflab.host.spec.ExperimentSpec;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The extensions a spec names, looked up once, and the versions of the plugins they come from
 * (for provenance). The diffusion components are {@code null} for a model that reads no such section.
 */
public record Components(ModelFamily family, DatasetProvider dataset, NoiseSchedule schedule,
                         NoiseEstimator estimator, Sampler sampler, GuidanceHead guidance, List<Metric> metrics) {

    /** Looks up every component of {@code spec}. */
    public static Components resolve(ExtensionRegistry registry, ExperimentSpec spec) {
        List<Metric> metrics = new ArrayList<>();
        spec.metrics().forEach(m -> metrics.add(registry.get(Metric.class, m.getString("name"))));
        return new Components(
                registry.get(ModelFamily.class, spec.model().getString("name")),
                registry.get(DatasetProvider.class, spec.dataset().getString("name")),
                named(registry, NoiseSchedule.class, spec.schedule()),
                named(registry, NoiseEstimator.class, spec.estimator()),
                named(registry, Sampler.class, spec.sampler()),
                named(registry, GuidanceHead.class, spec.guidance()),
                List.copyOf(metrics));
    }

    /** The extension {@code section} names, or {@code null} when the spec has no such section. */
    private static <T extends Named> T named(ExtensionRegistry registry, Class<T> point, io.difflab.api.Config section) {
        return section == null ? null : registry.get(point, section.getString("name"));
    }

    /** Plugin id to version for the plugins these components come from ({@code system} for the platform's own). */
    public Map<String, String> pluginVersions(PluginManager plugins) {
        Map<String, String> out = new TreeMap<>();
        List<Named> all = new ArrayList<>(java.util.Arrays.asList(family, dataset, schedule, estimator, sampler, guidance));
        all.addAll(metrics);
        for (Named n : all) {
            if (n == null) {
                continue;
            }
            PluginWrapper w = plugins.whichPlugin(n.getClass());
            if (w != null) {
                out.put(w.getPluginId(), w.getDescriptor().getVersion());
            }
        }
        return out;
    }
}
