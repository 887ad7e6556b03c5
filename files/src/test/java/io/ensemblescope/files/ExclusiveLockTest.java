package io.ensemblescope.files;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExclusiveLockTest {
    @Test
    void aHeldLockMakesOtherThreadsWaitOrGiveUpNamingWhatIsLocked(@TempDir Path dir) throws Exception {
        Path lockFile = dir.resolve("run-0").resolve(".lock");
        ExecutorService other = Executors.newSingleThreadExecutor();
        AtomicBoolean released = new AtomicBoolean();
        try {
            CompletableFuture<Boolean> next;
            try (ExclusiveLock held = ExclusiveLock.acquire(lockFile)) {
                ExecutionException busy = assertThrows(ExecutionException.class, () -> other.submit(() -> {
                    try (ExclusiveLock second = ExclusiveLock.acquire(lockFile, Duration.ofMillis(50))) {
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS));
                assertTrue(busy.getCause() instanceof IllegalStateException, busy.getCause().toString());
                assertTrue(busy.getCause().getMessage().contains("run-0"), busy.getCause().getMessage());
                next = CompletableFuture.supplyAsync(() -> {
                    try (ExclusiveLock waited = ExclusiveLock.acquire(lockFile)) {
                        return released.get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, other);
                released.set(true);
            }
            assertTrue(next.get(30, TimeUnit.SECONDS), "the waiting thread got the lock only after its release");
        } finally {
            other.shutdownNow();
        }
    }
}
