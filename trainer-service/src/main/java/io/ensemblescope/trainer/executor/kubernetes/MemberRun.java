package io.ensemblescope.trainer.executor.kubernetes;

import io.ensemblescope.core.routines.RunFiles;
import java.util.HashSet;
import java.util.Set;

/** The executor's bookkeeping for one member (run) of a job: its current attempt and what was last reported. */
final class MemberRun {

    final int member;
    int attempt;
    String jobName;
    boolean done;
    MemberStatus lastStatus;
    RunFiles.Progress lastProgress;
    /** When the current attempt was first seen Pending ({@link Pacer#nanoTime()}); -1 when it is not. */
    long pendingSince = -1;
    /** Pods of this member whose disruption was reported. */
    final Set<String> disruptedPods = new HashSet<>();

    MemberRun(int member) {
        this.member = member;
    }
}
