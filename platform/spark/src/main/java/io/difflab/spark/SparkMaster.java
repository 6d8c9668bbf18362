package io.difflab.spark;

import io.difflab.api.UserError;
import io.difflab.host.spec.SpecException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark master URL as {@code spark-submit} takes it. {@code local}, {@code local[N]},
 * {@code local[*]} and {@code local[N,F]} run every task in the driver's JVM (one machine: the
 * cells may share a local MLflow store); {@code spark://host:port[,host:port]}, {@code yarn},
 * {@code k8s://...} and {@code local-cluster[...]} run them in executors of their own, anywhere.
 *
 * @param url     the URL as given
 * @param local   whether tasks run in the driver's JVM
 * @param threads the task slots of a local master (its N), 0 for the others
 */
public record SparkMaster(String url, boolean local, int threads) {

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?])?");

    /**
     * @throws UserError (exit code 2) when {@code url} is none of spark-submit's forms
     */
    public static SparkMaster parse(String url) {
        String u = url.strip();
        Matcher local = LOCAL.matcher(u);
        if (local.matches()) {
            String n = local.group(1);
            int threads = n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors()
                    : Integer.parseInt(n);
            if (threads < 1) {
                throw invalid(url);
            }
            return new SparkMaster(u, true, threads);
        }
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.matches("spark://[^/\\s]+:\\d+(,[^/\\s]+:\\d+)*") || lower.equals("yarn")
                || lower.matches("k8s://\\S+") || lower.matches("local-cluster\\[\\d+,\\s*\\d+,\\s*\\d+]")) {
            return new SparkMaster(u, false, 0);
        }
        throw invalid(url);
    }

    private static UserError invalid(String url) {
        return new UserError("--master " + url + ": not a Spark master URL; use local[N], spark://host:port, yarn "
                + "or k8s://https://host:port", SpecException.EXIT_CODE, null);
    }
}
