package io.difflab.host.inject;

import io.difflab.api.Progress;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Progress bars on the console: one redrawn line (bar, rate, ETA, status) on a terminal, plain
 * lines every tenth of the way (or every 30 s) when the output is a file or a pipe.
 */
public final class ConsoleProgressFactory implements Progress.Factory {

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoClock;

    /**
     * @param out       where bars are drawn
     * @param terminal  whether {@code out} is a terminal (redraw in place) or not (plain lines)
     * @param nanoClock the time source, {@link System#nanoTime()} outside tests
     */
    public ConsoleProgressFactory(PrintStream out, boolean terminal, LongSupplier nanoClock) {
        this.out = out;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
    }

    /**
     * Bars on stderr. Java cannot ask whether stderr itself is a terminal; an interactive console
     * (stdin and stdout on a terminal) with a capable {@code TERM} is taken as yes.
     */
    public static ConsoleProgressFactory forStderr() {
        String term = System.getenv("TERM");
        boolean terminal = System.console() != null && term != null && !term.equals("dumb");
        return new ConsoleProgressFactory(System.err, terminal, System::nanoTime);
    }

    @Override
    public Progress start(String label, long total, String unit) {
        return new ConsoleProgress(out, terminal, nanoClock, label, total, unit);
    }
}
