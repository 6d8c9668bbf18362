package io.difflab.tracking.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.mlflow.api.proto.Service;
import org.mlflow_project.google.protobuf.Message;
import org.mlflow_project.google.protobuf.util.JsonFormat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process stand-in for an MLflow tracking server, on 127.0.0.1 only, for contract tests
 * (no MLflow server can be installed on the build machines). Every request body is decoded
 * strictly with the protobuf messages shipped in the client jar
 * ({@code org.mlflow.api.proto.Service}, parsed by the jar's shaded {@code JsonFormat}: an
 * unknown field fails), checked against MLflow's limits, recorded, and answered the way MLflow
 * answers. Can refuse connections (not started yet, or stopped and started again), answer 503
 * (overloaded, restarting), answer slowly (a distant server), store a batch and then hang past the
 * client's timeout or drop the connection without an answer (the client cannot tell whether the
 * batch was stored), and echo the request's headers in its error answers (as some proxies do);
 * it handles requests on several threads as a real server does. Public, in the test jar, for other
 * modules' tests (the cli's sync tests, the cluster sweeps').
 */
public final class MlflowContractServer implements AutoCloseable {

    /** One request as the server understood it. */
    public record Request(String method, String path, String authorization, Message body) { }

    private static final Pattern NAME_FILTER = Pattern.compile("name = '([^']*)'");
    private static final Pattern LOCAL_ID_FILTER = Pattern.compile("tags\\.`([^`]+)` = '([^']*)'");

    public final Map<String, String> experiments = new LinkedHashMap<>();
    public final Map<String, FakeRun> runs = new LinkedHashMap<>();
    public final Map<String, byte[]> artifacts = new LinkedHashMap<>();
    public final List<Request> requests = new ArrayList<>();
    public final List<String> violations = new ArrayList<>();
    /** The next this-many API requests are answered 503. */
    final AtomicInteger unavailableFor = new AtomicInteger();
    /** How many requests were answered 503. */
    int refused;
    /** The next this-many log-batch requests are stored, then answered only after {@link #hangMillis}. */
    final AtomicInteger hangBatches = new AtomicInteger();
    /** How long a hung answer waits. */
    volatile long hangMillis = 1000;
    /** The next this-many log-batch requests are stored, then the connection is closed without an answer. */
    final AtomicInteger dropBatches = new AtomicInteger();
    /**
     * Faults tied to a training step: the first log-batch request holding a metric at that step is
     * stored, then {@code hang}s or is {@code drop}ped (whatever the batching, the same batch fails).
     */
    final Map<Long, String> faultAtStep = new java.util.concurrent.ConcurrentHashMap<>();
    /** Error answers repeat the request's headers (Authorization included) in their message. */
    volatile boolean echoHeaders;
    /** Batches stored whose answer was hung or dropped. */
    int unanswered;
    private final int port;
    private HttpServer http;
    private java.util.concurrent.ExecutorService workers;
    private int nextId = 1;
    private volatile long latencyMillis;

    private MlflowContractServer(int port) {
        this.port = port;
    }

    /** A server on a free port of 127.0.0.1, already answering. */
    public static MlflowContractServer started() throws IOException {
        MlflowContractServer s = new MlflowContractServer(freePort());
        s.start();
        return s;
    }

    /** A server on a free port that refuses connections until {@link #start()}. */
    public static MlflowContractServer notStarted() throws IOException {
        return new MlflowContractServer(freePort());
    }

    public String uri() {
        return "http://127.0.0.1:" + port;
    }

    public synchronized void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        http.createContext("/", this::handle);
        workers = java.util.concurrent.Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "mlflow-contract-server");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(workers);
        http.start();
    }

    /** Each API request is answered {@code delay} after it arrives (outside the server's lock). */
    public void respondAfter(java.time.Duration delay) {
        latencyMillis = delay.toMillis();
    }

    /** Contract violations seen so far. */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** How many server runs carry each local run id (its {@code difflab.local_run_id} tag). */
    public synchronized Map<String, Long> runsPerLocalRun() {
        Map<String, Long> out = new LinkedHashMap<>();
        runs.values().forEach(r -> out.merge(String.valueOf(r.tags.get("difflab.local_run_id")), 1L, Long::sum));
        return out;
    }

    /** How often each artifact path was uploaded. */
    public synchronized Map<String, Long> artifactUploads() {
        Map<String, Long> out = new LinkedHashMap<>();
        requests.stream().filter(r -> r.method().equals("PUT")).forEach(r -> out.merge(r.path(), 1L, Long::sum));
        return out;
    }

    /** How often each (server run, param key) was sent in a log-batch. */
    public synchronized Map<String, Long> paramSends() {
        Map<String, Long> out = new LinkedHashMap<>();
        requests.stream().filter(r -> r.body() instanceof Service.LogBatch).forEach(r -> {
            Service.LogBatch b = (Service.LogBatch) r.body();
            b.getParamsList().forEach(p -> out.merge(b.getRunId() + " " + p.getKey(), 1L, Long::sum));
        });
        return out;
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.stop(0);
            http = null;
            workers.shutdownNow();
        }
    }

    public synchronized List<Request> requests(String pathSuffix) {
        return requests.stream().filter(r -> r.path().endsWith(pathSuffix)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String path = ex.getRequestURI().getPath();
        byte[] body = ex.getRequestBody().readAllBytes();
        if (path.startsWith(ArtifactUploader.PROXY_PATH) && ex.getRequestMethod().equals("GET")) {
            byte[] content;
            synchronized (this) {
                requests.add(new Request("GET", path, auth(ex), null));
                content = artifacts.get(path.substring(ArtifactUploader.PROXY_PATH.length()));
            }
            if (content == null) {
                reply(ex, 404, "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\"}");
                return;
            }
            ex.sendResponseHeaders(200, content.length);
            ex.getResponseBody().write(content);
            ex.close();
            return;
        }
        int status = 200;
        String answer;
        boolean hang = false;
        boolean drop = false;
        synchronized (this) {
            try {
                if (unavailableFor.get() > 0) {
                    unavailableFor.decrementAndGet();
                    refused++;
                    reply(ex, 503, "{\"error_code\": \"TEMPORARILY_UNAVAILABLE\"}");
                    return;
                }
                answer = route(ex, path, body);
                if (path.endsWith("runs/log-batch")) {
                    String fault = null;
                    Message last = requests.get(requests.size() - 1).body();
                    for (Service.Metric m : ((Service.LogBatch) last).getMetricsList()) {
                        fault = fault != null ? fault : faultAtStep.remove(m.getStep());
                    }
                    hang = "hang".equals(fault) || hangBatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                    drop = !hang && ("drop".equals(fault) || dropBatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0);
                    unanswered += hang || drop ? 1 : 0;
                }
            } catch (MlflowError e) {
                if (e instanceof ContractViolation) {
                    violations.add(path + ": " + e.getMessage());
                }
                status = e.status;
                String message = e.getMessage() + (echoHeaders ? " (request headers: " + new java.util.TreeMap<>(ex.getRequestHeaders()) + ")" : "");
                answer = "{\"error_code\": \"" + e.code + "\", \"message\": \"" + message.replace('"', '\'') + "\"}";
            }
        }
        if (drop) {
            closeWithoutAnswer(ex); // the batch is stored: the connection goes without an answer
            return;
        }
        if (hang) {
            try {
                Thread.sleep(hangMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            reply(ex, status, answer);
        } catch (IOException clientGone) {
            ex.close(); // the client gave up waiting
        }
    }

    private String route(HttpExchange ex, String path, byte[] body) throws IOException {
        String method = ex.getRequestMethod();
        if (path.startsWith(ArtifactUploader.PROXY_PATH) && method.equals("PUT")) {
            requests.add(new Request(method, path, auth(ex), null));
            artifacts.put(path.substring(ArtifactUploader.PROXY_PATH.length()), body);
            return "{}";
        }
        String api = path.replaceFirst("^/api/2.0/mlflow/", "");
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        switch (method + " " + api) {
            case "GET experiments/get-by-name": {
                requests.add(new Request(method, path, auth(ex), null));
                String name = query.get("experiment_name");
                String id = experiments.entrySet().stream().filter(e -> e.getValue().equals(name))
                        .map(Map.Entry::getKey).findFirst()
                        .orElseThrow(() -> new MlflowError(404, "RESOURCE_DOES_NOT_EXIST", "no experiment " + name));
                return print(Service.GetExperimentByName.Response.newBuilder().setExperiment(experiment(id)));
            }
            case "POST experiments/create": {
                Service.CreateExperiment req = parse(ex, path, body, Service.CreateExperiment.newBuilder());
                if (experiments.containsValue(req.getName())) {
                    throw new MlflowError(400, "RESOURCE_ALREADY_EXISTS", "experiment exists: " + req.getName());
                }
                String id = Integer.toString(nextId++);
                experiments.put(id, req.getName());
                return print(Service.CreateExperiment.Response.newBuilder().setExperimentId(id));
            }
            case "POST experiments/search": {
                Service.SearchExperiments req = parse(ex, path, body, Service.SearchExperiments.newBuilder());
                Matcher byName = NAME_FILTER.matcher(req.getFilter());
                if (!req.getFilter().isEmpty() && !byName.matches()) {
                    throw new ContractViolation(400, "INVALID_PARAMETER_VALUE", "unexpected filter " + req.getFilter());
                }
                Service.SearchExperiments.Response.Builder r = Service.SearchExperiments.Response.newBuilder();
                experiments.keySet().stream().filter(id -> !byName.matches() || experiments.get(id).equals(byName.group(1)))
                        .forEach(id -> r.addExperiments(experiment(id)));
                return print(r);
            }
            case "POST runs/create": {
                Service.CreateRun req = parse(ex, path, body, Service.CreateRun.newBuilder());
                if (!experiments.containsKey(req.getExperimentId())) {
                    throw new ContractViolation(404, "RESOURCE_DOES_NOT_EXIST", "no experiment " + req.getExperimentId());
                }
                FakeRun run = new FakeRun(String.format("%032x", nextId++), req);
                runs.put(run.id, run);
                return print(Service.CreateRun.Response.newBuilder().setRun(run.toProto()));
            }
            case "POST runs/search": {
                Service.SearchRuns req = parse(ex, path, body, Service.SearchRuns.newBuilder());
                Matcher m = LOCAL_ID_FILTER.matcher(req.getFilter());
                if (req.hasFilter() && !req.getFilter().isEmpty() && !m.matches()) {
                    throw new ContractViolation(400, "INVALID_PARAMETER_VALUE", "unexpected filter " + req.getFilter());
                }
                Service.SearchRuns.Response.Builder r = Service.SearchRuns.Response.newBuilder();
                runs.values().stream()
                        .filter(run -> req.getExperimentIdsList().contains(run.experimentId))
                        .filter(run -> !m.matches() || m.group(2).equals(run.tags.get(m.group(1))))
                        .forEach(run -> r.addRuns(run.toProto()));
                return print(r);
            }
            case "POST runs/log-batch": {
                Service.LogBatch req = parse(ex, path, body, Service.LogBatch.newBuilder());
                run(req.getRunId()).apply(req, body.length);
                return "{}";
            }
            case "POST runs/update": {
                Service.UpdateRun req = parse(ex, path, body, Service.UpdateRun.newBuilder());
                FakeRun run = run(req.hasRunId() ? req.getRunId() : req.getRunUuid());
                run.status = req.getStatus();
                run.endTime = req.hasEndTime() ? req.getEndTime() : null;
                return print(Service.UpdateRun.Response.newBuilder().setRunInfo(run.toProto().getInfo()));
            }
            case "GET runs/get": {
                requests.add(new Request(method, path, auth(ex), null));
                return print(Service.GetRun.Response.newBuilder().setRun(run(query.get("run_id")).toProto()));
            }
            case "GET metrics/get-history": {
                requests.add(new Request(method, path, auth(ex), null));
                Service.GetMetricHistory.Response.Builder r = Service.GetMetricHistory.Response.newBuilder();
                run(query.get("run_id")).metrics.stream()
                        .filter(mt -> mt.getKey().equals(query.get("metric_key"))).forEach(r::addMetrics);
                return print(r);
            }
            default:
                throw new ContractViolation(404, "ENDPOINT_NOT_FOUND", "no endpoint " + method + " " + path);
        }
    }

    private FakeRun run(String id) {
        FakeRun run = runs.get(id);
        if (run == null) {
            throw new ContractViolation(404, "RESOURCE_DOES_NOT_EXIST", "no run " + id);
        }
        return run;
    }

    private Service.Experiment experiment(String id) {
        return Service.Experiment.newBuilder().setExperimentId(id).setName(experiments.get(id))
                .setLifecycleStage("active").setArtifactLocation("mlflow-artifacts:/" + id).build();
    }

    @SuppressWarnings("unchecked")
    private <T extends Message> T parse(HttpExchange ex, String path, byte[] body, Message.Builder builder)
            throws IOException {
        try {
            JsonFormat.parser().merge(new String(body, StandardCharsets.UTF_8), builder);
        } catch (IOException e) {
            throw new ContractViolation(400, "MALFORMED_REQUEST", "not a " + builder.getDescriptorForType().getName()
                    + ": " + e.getMessage());
        }
        T message = (T) builder.build();
        requests.add(new Request(ex.getRequestMethod(), path, auth(ex), message));
        return message;
    }

    private static String print(Message.Builder message) {
        try {
            return JsonFormat.printer().preservingProtoFieldNames().print(message);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String auth(HttpExchange ex) {
        return ex.getRequestHeaders().getFirst("Authorization");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                q.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return q;
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    /** Closes the exchange's connection before any response header is sent. */
    private static void closeWithoutAnswer(HttpExchange ex) {
        try {
            ex.getResponseBody().close(); // fails: no headers sent; the exchange is then abandoned
        } catch (IOException | RuntimeException expected) {
            // as intended
        }
        ex.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** An error answer MLflow gives in the normal course (an experiment not found). */
    static class MlflowError extends RuntimeException {
        final int status;
        final String code;

        MlflowError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    /** A request MLflow would refuse: the client broke the contract. */
    static final class ContractViolation extends MlflowError {
        ContractViolation(int status, String code, String message) {
            super(status, code, message);
        }
    }
}
