package io.difflab.cli.report;

import java.util.Set;

/** File names made from run names and metric keys. */
final class FileNames {

    private FileNames() {
    }

    /** Letters, digits, dots, dashes and underscores kept; anything else becomes a dash. */
    static String slug(String name) {
        String s = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+|-+$", "");
        return s.isEmpty() ? "run" : s;
    }

    /** {@code base}, or {@code base-2}, {@code base-3}... when taken; records the result in {@code used}. */
    static String unique(String base, Set<String> used) {
        String name = base;
        for (int i = 2; !used.add(name); i++) {
            name = base + "-" + i;
        }
        return name;
    }
}
