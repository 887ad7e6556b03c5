package io.ensemblescope.trainer.executor.kubernetes;

import io.ensemblescope.core.routines.RunFiles;

/** The executor's bookkeeping for one member (run) of a job: its current attempt and what was last reported. */
final class MemberRun {

    final int member;
    int attempt;
    String jobName;
    boolean done;
    MemberStatus lastStatus;
    RunFiles.Progress lastProgress;

    MemberRun(int member) {
        this.member = member;
    }
}
