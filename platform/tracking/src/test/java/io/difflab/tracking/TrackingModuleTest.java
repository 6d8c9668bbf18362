package io.difflab.tracking;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.difflab.api.UserError;
import io.difflab.api.tracking.Tracker;
import io.difflab.tracking.remote.SenderSettings;
import io.difflab.tracking.remote.ServerTracker;
import io.difflab.tracking.store.LocalTracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The module binds the tracker the settings ask for, and creating it has no side effect. */
class TrackingModuleTest {

    @TempDir
    Path tmp;

    private TrackingSettings settings(String uri, Map<String, String> env) {
        return new TrackingSettings(uri, tmp.resolve("mlruns"), env, tmp, SenderSettings.defaults());
    }

    @Test
    void noUriMeansTheLocalStoreCreatedOnlyWhenARunStarts() {
        Injector injector = Guice.createInjector(new TrackingModule(settings("", Map.of())));
        Tracker tracker = injector.getInstance(Tracker.class);
        assertInstanceOf(LocalTracker.class, tracker);
        assertSame(tracker, injector.getInstance(Tracker.class));
        assertFalse(Files.exists(tmp.resolve("mlruns")), "nothing written before a run starts");
        assertEquals(tmp.resolve("mlruns").toAbsolutePath().toString(), tracker.location());
    }

    @Test
    void anHttpUriFromTheSpecOrTheEnvironmentMeansTheServer() {
        Tracker fromSpec = new TrackerFactory(settings("http://127.0.0.1:5000", Map.of())).create();
        assertInstanceOf(ServerTracker.class, fromSpec);
        Tracker fromEnv = new TrackerFactory(settings("", Map.of("MLFLOW_TRACKING_URI", "https://u:p4ssw0rd@mlflow.example"))).create();
        assertInstanceOf(ServerTracker.class, fromEnv);
        assertTrue(fromEnv.location().startsWith("https://mlflow.example "), fromEnv.location());
        assertFalse(fromEnv.location().contains("p4ssw0rd"));
    }

    @Test
    void theSpecsUriWinsOverTheEnvironment() {
        Tracker t = new TrackerFactory(settings(tmp.resolve("elsewhere").toString(),
                Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000"))).create();
        assertInstanceOf(LocalTracker.class, t);
        assertEquals(tmp.resolve("elsewhere").toAbsolutePath().toString(), t.location());
    }

    @Test
    void fileUrisNameALocalStoreAndOtherSchemesAreRefused() {
        assertEquals(Path.of("/data/mlruns"), TrackerFactory.localStore("file:///data/mlruns", Path.of("mlruns")));
        assertEquals(Path.of("/data/mlruns"), TrackerFactory.localStore("file:/data/mlruns", Path.of("mlruns")));
        UserError e = assertThrows(UserError.class, () -> TrackerFactory.localStore("databricks://x", Path.of("m")));
        assertTrue(e.getMessage().contains("http(s)://"), e.getMessage());
    }
}
