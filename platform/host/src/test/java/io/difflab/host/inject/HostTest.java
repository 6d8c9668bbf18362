package io.difflab.host.inject;

import ai.djl.Device;
import com.google.inject.ProvisionException;
import io.difflab.api.ExtensionRegistry;
import io.difflab.api.NoiseSchedule;
import io.difflab.api.Progress;
import io.difflab.api.RunContext;
import io.difflab.api.Sampler;
import io.difflab.api.UserError;
import io.difflab.api.tracking.Tracker;
import io.difflab.host.inject.fixtures.InjectedSchedule;
import io.difflab.host.plugin.PlatformVersion;
import io.difflab.host.plugin.PluginReport;
import io.difflab.host.run.RunOptions;
import io.difflab.host.run.RunPipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host on the classpath's system extensions (this module's test fixtures), without plugin folders. */
class HostTest {

    private final Tracker tracker = new Tracker() {
        @Override
        public io.difflab.api.tracking.TrackedRun startRun(String e, String r, String p, Map<String, String> t) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.difflab.api.tracking.TrackedRun resumeRun(String runId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String location() {
            return "nowhere";
        }
    };

    private final Host host = Host.start(List.of(), List.of(binder -> {
        binder.bind(Tracker.class).toInstance(tracker);
        binder.bind(io.difflab.host.run.TrackerSource.class).toInstance(uri -> tracker);
    }));

    @AfterEach
    void close() {
        host.close();
    }

    @Test
    void systemExtensionsAreCreatedByTheInjectorWithHostServices() {
        InjectedSchedule schedule = (InjectedSchedule) host.registry().get(NoiseSchedule.class, "test-injected");
        assertSame(host.injector().getInstance(ExtensionRegistry.class), schedule.registry);
        assertSame(host.registry(), schedule.registry);
        assertInstanceOf(ConsoleProgressFactory.class, schedule.progress);
        assertSame(schedule.progress, host.injector().getInstance(Progress.Factory.class));
        assertSame(tracker, host.injector().getInstance(Tracker.class), "callers add their own modules");
    }

    @Test
    void extensionsAreSingletonsPerClass() {
        Object first = host.registry().get(NoiseSchedule.class, "test-injected");
        assertSame(first, host.plugins().getExtensionFactory().create(InjectedSchedule.class));
        assertSame(first, host.registry().all(NoiseSchedule.class).stream()
                .filter(s -> s.name().equals("test-injected")).findFirst().orElseThrow());
    }

    @Test
    void theRunContextFollowsTheHolder() {
        InjectedSchedule schedule = (InjectedSchedule) host.registry().get(NoiseSchedule.class, "test-injected");
        assertInstanceOf(IllegalStateException.class, assertThrows(ProvisionException.class, schedule.run::get).getCause());
        RunContextHolder holder = host.injector().getInstance(RunContextHolder.class);
        RunContext first = new RunContext("a", 1, Device.cpu(), Path.of("runs/a"));
        holder.set(first);
        assertSame(first, schedule.run.get());
        RunContext second = new RunContext("b", 2, Device.cpu(), Path.of("runs/b"));
        holder.set(second);
        assertSame(second, schedule.run.get());
        holder.clear();
        assertThrows(ProvisionException.class, schedule.run::get);
    }

    @Test
    void aFailingExtensionIsReportedAndLeftOut() {
        PluginReport system = host.pluginReports().get(0);
        assertEquals(PluginReport.SYSTEM, system.id());
        assertEquals(PlatformVersion.current().release(), system.version());
        assertEquals("STARTED", system.state());
        assertTrue(system.extensions().get("schedule").containsAll(List.of("linear", "cosine", "test-injected")),
                system.extensions().toString());
        assertTrue(system.failure().contains("FailingSampler: ") && system.failure().contains("this fixture always fails"),
                system.failure());
        UserError e = assertThrows(UserError.class, () -> host.registry().get(Sampler.class, "test-failing"));
        assertTrue(e.getMessage().startsWith("no sampler named 'test-failing'"), e.getMessage());
    }

    @Test
    void theRunPipelineIsBound() {
        RunPipeline pipeline = host.injector().getInstance(RunPipeline.class);
        assertInstanceOf(io.difflab.host.run.DefaultRunPipeline.class, pipeline);
    }

    @Test
    void versionsComeFromTheBuild() {
        PlatformVersion v = PlatformVersion.current();
        assertTrue(v.kit().matches("\\d+\\.\\d+\\.\\d+"), v.kit());
        assertEquals(v.kit(), host.plugins().getSystemVersion());
        assertTrue(!v.pf4j().contains("$"), v.toString());
    }
}
