package io.difflab.host.run;


import java.util.Optional;

/** The bound {@link TrackerSource}, or a clear error when the host was started without one. */
final class TrackerSources {

    private TrackerSources() {
    }

    static TrackerSource require(Optional<TrackerSource> source) {
        return source.orElseThrow(() -> new IllegalStateException(
                "no TrackerSource is bound: start the Host with a module binding one (the CLI binds MLflow's)"));
    }
}
