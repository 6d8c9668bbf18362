package io.difflab.api;

import java.util.List;

/** Something an experiment spec refers to by name: every extension is one. */
public interface Named {

    /** The name specs use, lower-case with dashes (e.g. {@code linear}, {@code classifier-free}). */
    String name();

    /** One line saying what it is, for {@code difflab plugins} and error messages. */
    default String description() {
        return "";
    }

    /** The keys its spec section accepts; validation rejects any other key. */
    default List<Option> options() {
        return List.of();
    }
}
