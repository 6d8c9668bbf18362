package io.difflab.host.spec;

/**
 * One thing wrong with a spec.
 *
 * @param path    the key path it is about ({@code estimator.base_channels}, {@code metrics[0].name})
 * @param message what is wrong, and the valid choices when there are few
 */
public record SpecProblem(String path, String message) {

    /** The path is cut to a short excerpt (it holds the user's keys); neither holds control characters. */
    public SpecProblem {
        path = path == null ? "" : Excerpt.of(path);
        message = Excerpt.printable(message, true);
    }

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
