package io.ensemblescope.reports.load;

/**
 * Memory of one model in a server started in-process: the bytes of the native arrays its networks hold (weights and
 * running statistics), and how much the process's resident set grew while it loaded (allocator and JIT noise
 * included). Null when the server is remote.
 */
public record ModelMemory(String model, String label, Double nativeBytes, Double rssGrowthBytes) {}
