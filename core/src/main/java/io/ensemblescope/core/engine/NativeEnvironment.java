package io.ensemblescope.core.engine;

/**
 * The environment every process running libtorch gets: the launcher ({@code escope}), Surefire, the container images
 * (cli/pom.xml) and the member JVMs the trainer starts set these same values (docs/ARCHITECTURE.md, "Decisions").
 */
public final class NativeEnvironment {
    /** Idle OpenMP threads sleep: spinning ones starved every other thread on a shared machine. */
    public static final String OMP_WAIT_POLICY = "PASSIVE";

    /**
     * glibc's allocator, for tensors of megabytes allocated and freed every step: one arena, no per-allocation mmap
     * and up to 1 GiB of free heap kept, so a freed activation's memory is reused by the next step instead of being
     * unmapped and faulted in again page by page (a JVM's threads otherwise allocate from 64 MB side arenas that cannot
     * hold them, and glibc maps anything over 32 MB afresh), and that heap on transparent huge pages. Together they
     * doubled BatchEnsemble ResNet-20 training (docs/BENCHMARKS.md, "One heap").
     */
    public static final String GLIBC_TUNABLES = "glibc.malloc.hugetlb=1:glibc.malloc.arena_max=1"
            + ":glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824";

    private NativeEnvironment() {}
}
