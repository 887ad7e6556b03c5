package io.ensemblescope.core.routines;

import io.ensemblescope.core.checkpoint.EpochRecord;
import java.util.List;

/**
 * What a finished run leaves: its history, the epoch whose parameters were kept, and where they are.
 *
 * @param history every epoch trained, in order (including epochs before a resume)
 * @param bestEpoch the epoch whose parameters the run kept (early stopping keeps the best)
 * @param validationAccuracy validation accuracy at bestEpoch
 * @param imagesPerSecond mean training throughput over the run
 * @param stoppedEarly whether early stopping ended the run before its epoch budget
 */
public record RunResult(List<EpochRecord> history, int bestEpoch, double validationAccuracy, double imagesPerSecond,
                        boolean stoppedEarly) {}
