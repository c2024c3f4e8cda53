// Which moves a job may make. The DynamoDB adapter turns the same rules into write conditions
// (via `legalSourcesOf`), so a late or duplicated step can never move a job back.

import { isFinalStatus, jobStages, type FinalJobStatus, type ImportJob, type JobStage } from './importJob';

export type JobPosition = Pick<ImportJob, 'status' | 'stage'>;

/**
 * Enter (or re-enter) a stage of RUNNING, or end the job. `redrive` reopens an interrupted job
 * whose execution is being redriven (it resumes where it stopped): the one way out of FAILED.
 */
export type JobMove = { to: 'RUNNING'; stage: JobStage; redrive?: false } | { to: 'RUNNING'; stage: JobStage; redrive: true } | { to: FinalJobStatus };

export type TransitionVerdict = { legal: true } | { legal: false; reason: string };

export function stageRank(stage: JobStage): number {
  return jobStages.indexOf(stage);
}

export function judgeTransition(from: JobPosition, move: JobMove): TransitionVerdict {
  if (move.to === 'RUNNING' && move.redrive) {
    // Only a failed job can be redriven (the repository also requires it was interrupted).
    return from.status === 'FAILED' ? { legal: true } : refuse(`a ${from.status} job cannot be redriven`);
  }
  if (isFinalStatus(from.status)) return refuse(`the job already ended ${from.status}`);
  if (move.to === 'RUNNING') {
    // Re-entering the current stage is legal: it is how a retried step reports again.
    // Skipping forward is legal too (an export with no conversations goes from splitting to finalizing).
    if (from.status === 'RUNNING' && from.stage !== null && stageRank(move.stage) < stageRank(from.stage)) {
      return refuse(`stage ${move.stage} comes before the current stage ${from.stage}`);
    }
    return { legal: true };
  }
  // A job may fail before it ever ran (e.g. the lock or the start failed), but it cannot
  // succeed without running.
  if (move.to !== 'FAILED' && from.status !== 'RUNNING') return refuse(`a ${from.status} job cannot end ${move.to}`);
  return { legal: true };
}

/** Every position a job can be in. */
export const allJobPositions: readonly JobPosition[] = [
  { status: 'QUEUED', stage: null },
  ...jobStages.map((stage): JobPosition => ({ status: 'RUNNING', stage })),
  ...(['SUCCEEDED', 'PARTIAL', 'FAILED'] as const).flatMap((status) =>
    [null, ...jobStages].map((stage): JobPosition => ({ status, stage })),
  ),
];

/** The positions from which `move` is legal: what a conditional write must require. */
export function legalSourcesOf(move: JobMove): JobPosition[] {
  return allJobPositions.filter((from) => judgeTransition(from, move).legal);
}

function refuse(reason: string): TransitionVerdict {
  return { legal: false, reason };
}

/** Stages in which chunk results are accepted: not once finalizing has read the counters. */
export const stagesAcceptingChunks: readonly JobStage[] = ['SPLITTING', 'PROCESSING'];

export function acceptsChunks(job: JobPosition): boolean {
  return job.status === 'RUNNING' && job.stage !== null && stagesAcceptingChunks.includes(job.stage);
}
