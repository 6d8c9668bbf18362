package io.difflab.host.spec;

import io.difflab.api.UserError;

import java.util.List;

/** An invalid spec: every problem found, each with its key path. Exit code 2. */
public final class SpecException extends UserError {

    /** The exit code of an invalid spec. */
    public static final int EXIT_CODE = 2;

    private final transient List<SpecProblem> problems;

    /**
     * @param source   what was validated (the spec file), for the first line of the message
     * @param problems what is wrong, at least one
     */
    public SpecException(String source, List<SpecProblem> problems) {
        super(message(source, problems), EXIT_CODE, null);
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in the order found. */
    public List<SpecProblem> problems() {
        return problems;
    }

    private static String message(String source, List<SpecProblem> problems) {
        StringBuilder s = new StringBuilder(source).append(" is not a valid spec (")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems").append("):");
        for (SpecProblem p : problems) {
            s.append("\n  ").append(p);
        }
        return s.toString();
    }
}
