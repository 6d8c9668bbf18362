package io.difflab.tracking.remote;

import io.difflab.tracking.store.RunFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive right to send one run to one server, across the threads of this process and across
 * processes (a training's background sender and a {@code difflab sync} never send the same run
 * at once, which would duplicate metrics).
 */
final class SyncLock implements AutoCloseable {

    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final ReentrantLock jvmLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private SyncLock(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock) {
        this.jvmLock = jvmLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** The lock, or null when another thread or process holds it. */
    static SyncLock tryAcquire(RunFiles files, String uri) throws IOException {
        Path path = SyncState.file(files, uri).resolveSibling(
                SyncState.file(files, uri).getFileName().toString().replace(".yaml", ".lock"));
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(path.toAbsolutePath(), p -> new ReentrantLock());
        if (jvmLock.isHeldByCurrentThread() || !jvmLock.tryLock()) {
            return null;
        }
        try {
            Files.createDirectories(path.getParent());
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                jvmLock.unlock();
                return null;
            }
            return new SyncLock(jvmLock, channel, lock);
        } catch (IOException | RuntimeException e) {
            jvmLock.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            fileLock.release();
            channel.close();
        } finally {
            jvmLock.unlock();
        }
    }
}
