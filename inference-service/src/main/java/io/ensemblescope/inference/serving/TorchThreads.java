package io.ensemblescope.inference.serving;

import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads that each limit their own PyTorch intra-op parallelism (set on the thread itself, as libtorch's
 * OpenMP team size is per calling thread), so several threads running forwards at once share the cores instead of
 * oversubscribing them.
 */
final class TorchThreads {
    private TorchThreads() {}

    /** Threads named {@code prefix0, prefix1, …} running with {@code intraOpThreads} PyTorch threads each. */
    static ThreadFactory factory(String prefix, int intraOpThreads) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(() -> {
                JniUtils.setNumThreads(intraOpThreads);
                r.run();
            }, prefix + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }
}
