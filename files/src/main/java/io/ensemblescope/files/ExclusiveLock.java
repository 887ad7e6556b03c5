package io.ensemblescope.files;

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
 * Exclusive right to write what a lock file guards, across threads and processes: a lock in this JVM (file locks
 * belong to the process, and a second one taken in the same JVM throws OverlappingFileLockException) plus a file
 * lock against other processes, which the operating system drops when its process dies, even by kill -9. Lock files
 * are never deleted (deleting one would let two processes lock different inodes).
 */
public final class ExclusiveLock implements AutoCloseable {
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final long RETRY_MILLIS = 100;

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock file;

    private ExclusiveLock(ReentrantLock local, FileChannel channel, FileLock file) {
        this.local = local;
        this.channel = channel;
        this.file = file;
    }

    /** Waits as long as it takes (for holders that keep it for seconds, such as a commit or a fetch). */
    public static ExclusiveLock acquire(Path lockFile) throws IOException {
        ReentrantLock local = localLock(lockFile);
        local.lock();
        return lockFile(lockFile, local, null);
    }

    /**
     * Waits at most {@code wait}; throws IllegalStateException naming what is locked when another thread or process
     * still holds it then.
     */
    public static ExclusiveLock acquire(Path lockFile, Duration wait) throws IOException {
        ReentrantLock local = localLock(lockFile);
        try {
            if (!local.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw inUse(lockFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + lockFile, e);
        }
        return lockFile(lockFile, local, System.nanoTime() + wait.toNanos());
    }

    private static ReentrantLock localLock(Path lockFile) {
        return IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), f -> new ReentrantLock());
    }

    private static ExclusiveLock lockFile(Path lockFile, ReentrantLock local, Long deadline) throws IOException {
        FileChannel channel = null;
        try {
            Files.createDirectories(lockFile.toAbsolutePath().getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (deadline == null) {
                return new ExclusiveLock(local, channel, channel.lock());
            }
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return new ExclusiveLock(local, channel, lock);
                }
                if (System.nanoTime() > deadline) {
                    throw inUse(lockFile);
                }
                Thread.sleep(RETRY_MILLIS); // another process holds it; a file lock cannot be awaited with a limit
            }
        } catch (IOException | RuntimeException e) {
            release(channel, local);
            throw e;
        } catch (InterruptedException e) {
            release(channel, local);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + lockFile, e);
        }
    }

    private static IllegalStateException inUse(Path lockFile) {
        return new IllegalStateException(lockFile.toAbsolutePath().getParent() + " is in use by another process");
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
