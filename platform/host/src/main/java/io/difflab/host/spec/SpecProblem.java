package io.difflab.host.spec;

/**
 * One thing wrong with a spec.
 *
 * @param path    the key path it is about ({@code estimator.base_channels}, {@code metrics[0].name})
 * @param message what is wrong, and the valid choices when there are few
 */
public record SpecProblem(String path, String message) {

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
