package io.ensemblescope.trainer.executor.kubernetes;

/** The executor's bookkeeping for one member (run) of a job: its current attempt and what was last reported. */
final class MemberRun {

    final int member;
    int attempt;
    String jobName;
    boolean done;
    MemberStatus lastStatus;
    MemberProgress lastProgress;

    MemberRun(int member) {
        this.member = member;
    }
}
