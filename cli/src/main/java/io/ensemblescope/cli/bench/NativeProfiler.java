package io.ensemblescope.cli.bench;

import ai.djl.pytorch.jni.JniUtils;
import io.ensemblescope.core.checkpoint.EpochRecord;
import io.ensemblescope.core.routines.TrainListener;
import java.nio.file.Path;

/**
 * Records libtorch's own profiler (through DJL) around the training steps of one run's last epoch — every native op
 * the step issues, autograd backward included, with input shapes — and writes its chrome trace. The warm-up epochs,
 * validation and snapshots stay outside. Wraps the listener it is given, which sees every event.
 */
public final class NativeProfiler implements TrainListener {
    private final TrainListener delegate;
    private final Path trace;
    private final int epochs;
    private final int run;
    private boolean recording;
    private boolean written;

    /** Profiles run {@code run} (0 for the first) in the last of {@code epochs} (≥ 2) epochs into {@code trace}. */
    public NativeProfiler(TrainListener delegate, Path trace, int epochs, int run) {
        if (epochs < 2) {
            throw new IllegalArgumentException("--profile needs --epochs >= 2 (the last epoch is profiled)");
        }
        this.delegate = delegate;
        this.trace = trace;
        this.epochs = epochs;
        this.run = run;
    }

    @Override
    public void onStep(int runIndex, StepProgress progress) {
        delegate.onStep(runIndex, progress);
    }

    @Override
    public void onEpochTrained(int runIndex, int epoch) {
        if (recording && runIndex == run && epoch == epochs) {
            JniUtils.stopProfile(trace.toAbsolutePath().toString());
            recording = false;
            written = true;
        }
        delegate.onEpochTrained(runIndex, epoch);
    }

    @Override
    public void onEpoch(int runIndex, EpochRecord record) {
        delegate.onEpoch(runIndex, record);
        if (runIndex == run && record.epoch() == epochs - 1) {
            JniUtils.startProfile(false, true, false);
            recording = true;
        }
    }

    /** Whether the trace was written (false when the run ended early, e.g. stopped by early stopping). */
    public boolean written() {
        return written;
    }
}
