package io.difflab.tracking.remote;

import java.time.Duration;

/**
 * How the background sender paces itself.
 *
 * @param pollInterval   how often new events of running runs are sent
 * @param initialBackoff the wait after a first failure, doubled after each further one
 * @param maxBackoff     the longest wait between attempts
 * @param flushTimeout   how long ending a run waits for the server to have all of it
 * @param requestTimeout how long one request waits for the server's answer before it counts as failed
 */
public record SenderSettings(Duration pollInterval, Duration initialBackoff, Duration maxBackoff,
                             Duration flushTimeout, Duration requestTimeout) {

    /** The settings with the default request timeout ({@link MlflowServer#REQUEST_TIMEOUT}). */
    public SenderSettings(Duration pollInterval, Duration initialBackoff, Duration maxBackoff, Duration flushTimeout) {
        this(pollInterval, initialBackoff, maxBackoff, flushTimeout, MlflowServer.REQUEST_TIMEOUT);
    }

    /** Every second; back-off from 1 s to 1 min; ending a run waits at most 30 s; a request at most 60 s. */
    public static SenderSettings defaults() {
        return new SenderSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1),
                Duration.ofSeconds(30), MlflowServer.REQUEST_TIMEOUT);
    }

    /** The wait after {@code failures} consecutive failures (1, 2, ...): exponential, capped. */
    public Duration backoff(int failures) {
        long millis = initialBackoff.toMillis();
        for (int i = 1; i < failures && millis < maxBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
