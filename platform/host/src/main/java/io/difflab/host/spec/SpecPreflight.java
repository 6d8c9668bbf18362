package io.difflab.host.spec;

import java.util.List;

/**
 * A check of a whole resolved spec beyond its sections' keys: whether the run it describes can be
 * assembled (settings that fit together, conditions the dataset has, networks the guidance needs),
 * so that {@code validate} finds everything {@code run} would and {@code run} finds it before it
 * creates anything.
 */
public interface SpecPreflight {

    /** The problems of {@code spec}; empty when it can run. */
    List<SpecProblem> check(ExperimentSpec spec);
}
