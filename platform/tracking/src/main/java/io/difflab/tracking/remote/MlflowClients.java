package io.difflab.tracking.remote;

import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;
import org.mlflow_project.apachehttp.client.config.RequestConfig;
import org.mlflow_project.apachehttp.impl.client.CloseableHttpClient;
import org.mlflow_project.apachehttp.impl.client.HttpClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.time.Duration;

/**
 * The official client, set up for a background sender: its HTTP client with connect and read
 * timeouts (the client's own has none, so a hung server would hold the sender forever), and no
 * retries of its own for answers other than 429 (it repeats every failed request, 401 and 404
 * included, three times and logs each as "Rate limit exceeded" with the response body; the
 * sender retries with back-off itself). The client offers no way to pass either, so its
 * package-private {@code MlflowHttpCaller} is built and put in place by reflection; should that
 * fail (another client version), the default client is used.
 */
final class MlflowClients {

    private static final Logger LOG = LoggerFactory.getLogger(MlflowClients.class);
    /** The client's own defaults for 429 answers: retry for up to 60 s, first after 1 s. */
    private static final int RATE_LIMIT_WINDOW_MILLIS = 60_000;
    private static final int RATE_LIMIT_FIRST_SLEEP_MILLIS = 1_000;

    private MlflowClients() {
    }

    /** A client for {@code credentials} whose requests give up after {@code timeout} without an answer. */
    static MlflowClient create(MlflowHostCredsProvider credentials, Duration connectTimeout, Duration timeout) {
        MlflowClient client = new MlflowClient(credentials);
        RequestConfig config = RequestConfig.custom()
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setConnectionRequestTimeout((int) connectTimeout.toMillis())
                .setSocketTimeout((int) timeout.toMillis())
                .build();
        CloseableHttpClient http = HttpClientBuilder.create().useSystemProperties().setDefaultRequestConfig(config)
                .disableAutomaticRetries().build();
        try {
            Class<?> callerType = Class.forName("org.mlflow.tracking.MlflowHttpCaller");
            Constructor<?> constructor = callerType.getDeclaredConstructor(MlflowHostCredsProvider.class, int.class,
                    int.class, int.class, CloseableHttpClient.class);
            constructor.setAccessible(true);
            Object caller = constructor.newInstance(credentials, RATE_LIMIT_WINDOW_MILLIS,
                    RATE_LIMIT_FIRST_SLEEP_MILLIS, 1, http);
            Field field = MlflowClient.class.getDeclaredField("httpCaller");
            field.setAccessible(true);
            field.set(client, caller);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot set the MLflow client's timeouts ({}); using its defaults", e.toString());
            try {
                http.close();
            } catch (java.io.IOException ignored) {
                // nothing was sent through it
            }
        }
        return client;
    }
}
