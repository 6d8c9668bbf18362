package io.difflab.cli;

import io.difflab.api.UserError;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Spark add-on ({@code platform/spark}'s build: {@code jars/} and {@code conf/}), kept out of the
 * distribution's class path so that no other command loads or pays for Spark. {@code difflab sweep
 * --master} finds it through {@value #HOME_ENV} or {@code <distribution>/spark} and runs the same
 * command again in a JVM whose class path holds it first (Spark's versions of shared libraries win;
 * Spark logs through its log4j, configured in {@code conf/}), with the JVM options Spark 4 needs.
 */
final class SparkAddOn {

    /** Environment variable naming the add-on folder. */
    static final String HOME_ENV = "DIFFLAB_SPARK_HOME";
    /** Set in the relaunched JVM: the add-on must be on its class path. */
    static final String RELAUNCHED_PROPERTY = "difflab.spark.relaunched";

    private SparkAddOn() {
    }

    /** The add-on folder: {@value #HOME_ENV}, else {@code <home>/spark}. */
    static Path locate(Map<String, String> env, Path home) {
        String named = env.getOrDefault(HOME_ENV, "").strip();
        Path dir = !named.isEmpty() ? Path.of(named) : home == null ? null : home.resolve("spark");
        if (dir == null || !Files.isDirectory(dir.resolve("jars"))) {
            throw new UserError("--master runs the cells on Apache Spark, which needs the Spark add-on"
                    + (named.isEmpty() ? "" : " (" + HOME_ENV + "=" + named + " holds no jars/)")
                    + ": build it with ./mvnw -Pspark -DskipTests package, then set " + HOME_ENV
                    + "=platform/spark/target/difflab-spark or copy that folder to <distribution>/spark");
        }
        return dir.toAbsolutePath().normalize();
    }

    /**
     * Runs {@code args} (the whole command line) in a JVM with the add-on; returns its exit code.
     * A {@code local} master's driver binds to the loopback interface (it needs no network).
     */
    static int relaunch(Path addOn, List<String> args, boolean local) {
        if (Boolean.getBoolean(RELAUNCHED_PROPERTY)) {
            throw new UserError("the Spark add-on in " + addOn + " offers no cluster sweep: rebuild it from this "
                    + "version (./mvnw -Pspark -DskipTests package)");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(moduleOptions(addOn));
        command.add("-D" + RELAUNCHED_PROPERTY + "=true");
        command.addAll(List.of("-cp", classPath(addOn), Difflab.class.getName()));
        command.addAll(args);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            // the add-on is laid out as a Spark home: YARN ships its jars/ to the executors from there
            builder.environment().put("SPARK_HOME", addOn.toString());
            builder.environment().put("SPARK_SCALA_VERSION", "2.13");
            if (local) {
                builder.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
            }
            Process driver = builder.start();
            Thread stop = new Thread(driver::destroy, "difflab-spark-driver-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            int code = driver.waitFor();
            Runtime.getRuntime().removeShutdownHook(stop);
            return code;
        } catch (IOException e) {
            throw new UserError("cannot start the sweep's Spark driver: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while the sweep's Spark driver ran", e);
        }
    }

    /**
     * {@code conf/}, the Hadoop and YARN configuration folders ({@code HADOOP_CONF_DIR},
     * {@code YARN_CONF_DIR}, as spark-submit adds them), every jar of the add-on, then the
     * distribution's jars that the add-on does not hold in some version, without slf4j-simple
     * (Spark brings its log4j binding).
     */
    static String classPath(Path addOn) {
        List<String> entries = new ArrayList<>();
        entries.add(addOn.resolve("conf").toString());
        for (String conf : List.of("HADOOP_CONF_DIR", "YARN_CONF_DIR")) {
            String dir = System.getenv(conf);
            if (dir != null && !dir.isBlank()) {
                entries.add(dir);
            }
        }
        Set<String> artifacts = new HashSet<>();
        for (Path jar : jars(addOn.resolve("jars"))) {
            entries.add(jar.toString());
            artifacts.add(artifact(jar));
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = artifact(p);
            if (!artifacts.contains(name) && !name.equals("slf4j-simple")) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The artifact a jar file holds, without its version: {@code guava-31.0.1-jre.jar} is {@code guava}. */
    static String artifact(Path jar) {
        String name = jar.getFileName().toString();
        return name.replaceFirst("-\\d[^-]*(-[A-Za-z][^/]*)?\\.jar$", "").replaceFirst("\\.jar$", "");
    }

    private static List<Path> jars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UserError("cannot list the Spark add-on's jars in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The JVM options Spark 4 asks for on Java 17+, from the add-on's own launcher library. */
    private static List<String> moduleOptions(Path addOn) {
        Path launcher = jars(addOn.resolve("jars")).stream()
                .filter(j -> j.getFileName().toString().startsWith("spark-launcher_")).findFirst()
                .orElseThrow(() -> new UserError("the Spark add-on in " + addOn + " holds no spark-launcher jar"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {launcher.toUri().toURL()}, null)) {
            String[] options = (String[]) loader.loadClass("org.apache.spark.launcher.JavaModuleOptions")
                    .getMethod("defaultModuleOptionArray").invoke(null);
            // jdk.incubator.vector serves Spark SQL only, and the JVM warns about every incubator module
            return Arrays.stream(options).filter(o -> !o.startsWith("--add-modules=jdk.incubator")).toList();
        } catch (IOException | ReflectiveOperationException e) {
            throw new UserError("cannot read Spark's JVM options from " + launcher + ": " + e, e);
        }
    }
}
