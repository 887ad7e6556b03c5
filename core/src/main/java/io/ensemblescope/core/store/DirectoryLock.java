package io.ensemblescope.core.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive right to write one store directory: a lock in this JVM (file locks belong to the process, and a second
 * one taken in the same JVM throws) plus a file lock on {@code dir/.lock} against other processes. The operating
 * system releases the file lock when its process dies, even by kill -9.
 */
public final class DirectoryLock implements AutoCloseable {
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final long RETRY_MILLIS = 100;

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock file;

    private DirectoryLock(ReentrantLock local, FileChannel channel, FileLock file) {
        this.local = local;
        this.channel = channel;
        this.file = file;
    }

    /** Waits as long as it takes (commits hold it for seconds). */
    public static DirectoryLock acquire(Path dir) throws IOException {
        ReentrantLock local = localLock(dir);
        local.lock();
        return lockFile(dir, local, null);
    }

    /**
     * Waits at most {@code wait}; throws IllegalStateException naming the directory when another thread or process
     * still holds it then.
     */
    public static DirectoryLock acquire(Path dir, Duration wait) throws IOException {
        ReentrantLock local = localLock(dir);
        try {
            if (!local.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw inUse(dir);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + dir, e);
        }
        return lockFile(dir, local, System.nanoTime() + wait.toNanos());
    }

    private static ReentrantLock localLock(Path dir) {
        return IN_PROCESS.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new ReentrantLock());
    }

    private static DirectoryLock lockFile(Path dir, ReentrantLock local, Long deadline) throws IOException {
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(StoreLayout.LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            if (deadline == null) {
                return new DirectoryLock(local, channel, channel.lock());
            }
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return new DirectoryLock(local, channel, lock);
                }
                if (System.nanoTime() > deadline) {
                    throw inUse(dir);
                }
                Thread.sleep(RETRY_MILLIS); // another process holds it; file locks cannot be waited on with a limit
            }
        } catch (IOException | RuntimeException e) {
            release(channel, local);
            throw e;
        } catch (InterruptedException e) {
            release(channel, local);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + dir, e);
        }
    }

    private static IllegalStateException inUse(Path dir) {
        return new IllegalStateException(dir + " is in use by another trainer process");
    }

    private static void release(FileChannel channel, ReentrantLock local) throws IOException {
        try {
            if (channel != null) {
                channel.close();
            }
        } finally {
            local.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            file.release();
        } finally {
            release(channel, local);
        }
    }
}
