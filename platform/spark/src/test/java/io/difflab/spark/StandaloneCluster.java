package io.difflab.spark;

import org.apache.spark.launcher.JavaModuleOptions;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on 127.0.0.1: a master and workers as child JVMs started from the
 * add-on folder (its {@code jars/} and {@code conf/}, which the workers also give their executors),
 * every port on the loopback interface, one core per worker. Logs go to the work folder.
 */
final class StandaloneCluster implements AutoCloseable {

    private static final Pattern ALIVE = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private final Path addOn;
    private final Path work;
    private final int masterPort;
    private final int masterUiPort;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();

    private StandaloneCluster(Path addOn, Path work) throws IOException {
        this.addOn = addOn.toAbsolutePath();
        this.work = work;
        this.masterPort = freePort();
        this.masterUiPort = freePort();
        this.master = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterUiPort));
    }

    /** A master and {@code workers} workers, waited for until the master sees them all alive. */
    static StandaloneCluster start(Path addOn, Path work, int workers) throws Exception {
        StandaloneCluster cluster = new StandaloneCluster(addOn, work);
        try {
            for (int i = 0; i < workers; i++) {
                cluster.addWorker();
            }
            cluster.awaitWorkers(workers);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** Starts one more worker (one core, 1 GB for executors). */
    void addWorker() throws IOException {
        int i = workers.size() + 1;
        Path dir = Files.createDirectories(work.resolve("worker-" + i));
        workers.add(start("worker-" + i, "org.apache.spark.deploy.worker.Worker", masterUrl(), "--host", "127.0.0.1",
                "--cores", "1", "--memory", "1g", "--work-dir", dir.toString(), "--webui-port",
                Integer.toString(freePort())));
    }

    /** Waits until the master counts {@code n} alive workers. */
    void awaitWorkers(int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int alive = -1;
        while (System.nanoTime() < deadline) {
            alive = aliveWorkers();
            if (alive == n) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the master sees " + alive + " of " + n + " workers; see " + work);
    }

    /** The worker whose processes (executor, cells) include one whose command line holds {@code text}. */
    Optional<Integer> workerRunning(String text) {
        for (int i = 0; i < workers.size(); i++) {
            Process w = workers.get(i);
            if (w.isAlive() && w.descendants().anyMatch(p -> p.info().arguments()
                    .map(args -> Arrays.stream(args).anyMatch(a -> a.contains(text))).orElse(false))) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** Kills worker {@code i} and every process under it at once, as a machine that dies. */
    void killWorker(int i) throws InterruptedException {
        Process w = workers.get(i);
        List<ProcessHandle> tree = new ArrayList<>(w.descendants().toList());
        tree.add(w.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : tree) {
            p.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> p).join();
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process w : workers) {
            all.addAll(w.descendants().toList());
            all.add(w.toHandle());
        }
        all.addAll(master.descendants().toList());
        all.add(master.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            p.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> {
                p.destroyForcibly();
                return p;
            }).join();
        }
    }

    private int aliveWorkers() {
        try (InputStream in = URI.create("http://127.0.0.1:" + masterUiPort + "/json/").toURL().openStream()) {
            Matcher m = ALIVE.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1; // not answering yet
        }
    }

    private Process start(String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        Arrays.stream(JavaModuleOptions.defaultModuleOptionArray())
                .filter(o -> !o.startsWith("--add-modules")).forEach(command::add);
        command.addAll(List.of("-Xmx256m", "-Dspark.master.rest.enabled=false", "-cp",
                addOn.resolve("conf") + ":" + addOn.resolve("jars") + "/*", mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", addOn.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return builder.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
