package io.difflab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process at a time in a cell's run folder: an OS lock on {@code <run>/.cell.lock}, released
 * when the process ends. An attempt retried elsewhere (its executor was lost, but its process
 * lingers) waits here until the earlier one is gone, so two never write the same checkpoints.
 */
final class CellLock implements AutoCloseable {

    static final String FILE = ".cell.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private CellLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, waiting for the process holding it (and saying so on {@code out}). */
    static CellLock acquire(Path runDir, PrintStream out) {
        Path file = runDir.resolve(FILE);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                out.println("difflab cell: an earlier attempt of this cell still holds " + file
                        + "; waiting for it to end");
                out.flush();
                lock = channel.lock();
            }
            return new CellLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel or the process
        }
    }
}
