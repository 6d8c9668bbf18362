package io.difflab.cli.tracking;

import io.difflab.tracking.catalog.RunCatalog;

import java.io.PrintWriter;

/** Names, on stderr, the entries of a store that a listing passed over because they are damaged. */
public final class DamagedEntries {

    private DamagedEntries() {
    }

    /** One line per damaged entry, by path, after what was listed. */
    public static void note(RunCatalog catalog, PrintWriter err) {
        for (String entry : catalog.damaged()) {
            err.println("skipped (damaged): " + entry);
        }
        err.flush();
    }
}
