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
 * (for provenance).
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
                registry.get(NoiseSchedule.class, spec.schedule().getString("name")),
                registry.get(NoiseEstimator.class, spec.estimator().getString("name")),
                registry.get(Sampler.class, spec.sampler().getString("name")),
                registry.get(GuidanceHead.class, spec.guidance().getString("name")),
                List.copyOf(metrics));
    }

    /** Plugin id to version for the plugins these components come from ({@code system} for the platform's own). */
    public Map<String, String> pluginVersions(PluginManager plugins) {
        Map<String, String> out = new TreeMap<>();
        List<Named> all = new ArrayList<>(List.of(family, dataset, schedule, estimator, sampler, guidance));
        all.addAll(metrics);
        for (Named n : all) {
            PluginWrapper w = plugins.whichPlugin(n.getClass());
            if (w != null) {
                out.put(w.getPluginId(), w.getDescriptor().getVersion());
            }
        }
        return out;
    }
}
