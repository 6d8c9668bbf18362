package io.difflab.host.sweep;

import io.difflab.api.UserError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One process at a time per sweep: an OS lock on {@code <runs>/<sweep>/.lock}, released when the process ends. */
final class SweepLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private SweepLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static SweepLock acquire(Path sweepDir, String name) {
        Path file = sweepDir.resolve(".lock");
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new UserError("sweep '" + name + "' is already running (" + file + " is locked); wait for it, "
                        + "or stop it: a later start continues where it stopped");
            }
            return new SweepLock(channel, lock);
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
