package io.difflab.cli.tracking;

import io.difflab.api.UserError;
import io.difflab.tracking.Redactor;
import io.difflab.tracking.TrackerFactory;
import io.difflab.tracking.remote.MlflowServer;
import io.difflab.tracking.remote.ServerCredentials;
import io.difflab.tracking.remote.StoreSync;
import io.difflab.tracking.remote.SyncOutcome;
import io.difflab.tracking.remote.TrackingServerException;
import io.difflab.tracking.store.FileStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code difflab sync}: sends the runs of a local store that a server lacks (all of them, the
 * first time). Idempotent: what the server acknowledged is never sent again.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Send the runs of a local store to an MLflow tracking server; running it again sends only what is new.")
public final class SyncCommand implements Callable<Integer> {

    @Option(names = "--to", paramLabel = "URI",
            description = "the tracking server (http or https; default: MLFLOW_TRACKING_URI); credentials from "
                    + "MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN")
    String to;

    @Option(names = "--store", paramLabel = "DIR", defaultValue = "${env:DIFFLAB_MLRUNS:-mlruns}",
            description = "the local store (default: ./mlruns, or the DIFFLAB_MLRUNS environment variable)")
    Path store;

    @Spec
    CommandSpec spec;

    /** The environment the credentials are read from. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception {
        if (to == null || to.isBlank()) {
            to = env.getOrDefault("MLFLOW_TRACKING_URI", "").strip();
            if (to.isEmpty()) {
                throw new UserError("sync needs a tracking server: give --to http(s)://host:port or set "
                        + "MLFLOW_TRACKING_URI", 2, null);
            }
        }
        if (!TrackerFactory.isServer(to)) {
            throw new UserError("--to needs an http(s) tracking server, not " + Redactor.withoutUserInfo(to));
        }
        FileStore local = new FileStore(store);
        if (!local.exists()) {
            throw new UserError("no tracking store at " + local.root());
        }
        PrintWriter out = spec.commandLine().getOut();
        Redactor redactor = Redactor.fromEnvironment(env, to);
        try (MlflowServer server = new MlflowServer(ServerCredentials.of(to, env), redactor)) {
            List<SyncOutcome> outcomes = new StoreSync(local, server).syncAll(o -> {
                out.println(describe(o));
                out.flush();
            });
            long busy = outcomes.stream().filter(SyncOutcome::busy).count();
            long sent = outcomes.stream().filter(SyncOutcome::sentAnything).count();
            out.printf("%d runs: %d sent to %s, %d already there, %d being sent by another process%n",
                    outcomes.size(), sent, server.uri(), outcomes.size() - sent - busy, busy);
            out.flush();
            return 0;
        } catch (TrackingServerException e) {
            throw new UserError("cannot sync to " + Redactor.withoutUserInfo(to) + ": " + e.getMessage()
                    + (e.retryable() ? "; nothing is lost: run `difflab sync` again once the server answers" : ""));
        }
    }

    private static String describe(SyncOutcome o) {
        if (o.busy()) {
            return o.localRunId() + "  skipped: another process is sending it (or its parent run)";
        }
        String what = o.sentAnything()
                ? String.format("sent %d params, %d tags, %d metric points, %d artifacts%s", o.params(), o.tags(),
                        o.metrics(), o.artifacts(), o.updated() ? " (run created or status updated)" : "")
                : "nothing new";
        return o.localRunId() + " -> " + o.remoteRunId() + "  " + o.status() + "  " + what;
    }
}
