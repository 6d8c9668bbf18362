package io.difflab.host.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The problems found so far in one spec. A problem at a key the user did not write (a default
 * of the host or of the model family) says where the value came from.
 */
final class Problems {

    private final List<SpecProblem> list = new ArrayList<>();
    private final Map<String, String> origins;

    /** @param origins key path -> where its value came from ({@code host default}) */
    Problems(Map<String, String> origins) {
        this.origins = origins;
    }

    void add(String path, String message) {
        String origin = originOf(path);
        list.add(new SpecProblem(path, origin == null ? message : message + " [" + origin + "]"));
    }

    /** Adds problems found by a checker that does not know the origins. */
    void addAll(List<SpecProblem> problems) {
        problems.forEach(p -> add(p.path(), p.message()));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<SpecProblem> list() {
        return List.copyOf(list);
    }

    /** The origin of {@code path} or of the nearest section holding it. */
    private String originOf(String path) {
        for (String p = path; !p.isEmpty(); p = parent(p)) {
            String origin = origins.get(p);
            if (origin != null) {
                return origin;
            }
        }
        return null;
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
