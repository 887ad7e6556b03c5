package io.ensemblescope.cli;

import picocli.CommandLine.Command;

/** Benchmarks whose results go to docs/BENCHMARKS.md. */
@Command(name = "bench", description = "Run a benchmark.", subcommands = {TrainingBenchCommand.class, InferenceBenchCommand.class})
final class BenchCommand {}
