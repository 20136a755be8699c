import { AppError, type AppErrorData } from '../../../shared/errors'
import type { CommitSummary } from '../../../shared/models/commits'
import type { PromotePreview } from '../../../shared/models/deploys'
import type { Sha, Workspace } from '../../../shared/models/workspace'
import { previousEnvironments } from '../../../shared/models/region-paths'

/**
 * What the promotion guard needs from a service's history (the commit index, adapted by the caller).
 * Methods may answer synchronously or with a promise.
 */
export interface AncestryPort {
  /** The full SHA an input names (full/short SHA, branch, tag, #PR); throws AppError `not-found` or `ambiguous-sha`. */
  resolve(service: string, input: string): Sha | Promise<Sha>
  /** Whether `ancestor` is reachable from `descendant` (a commit is its own ancestor). */
  isAncestor(service: string, ancestor: Sha, descendant: Sha): boolean | Promise<boolean>
  /** Commits reachable from `include` but not from `exclude` (`git rev-list include ^exclude`), newest first. */
  range(service: string, exclude: Sha, include: Sha): CommitSummary[] | Promise<CommitSummary[]>
  /**
   * When no remote branch or tag contains `sha` (a commit made here and never pushed), the local branches that
   * do; undefined when the remote has it. A deploy system builds from the remote, so such a SHA cannot ship.
   */
  unpushed(service: string, sha: Sha): string[] | undefined | Promise<string[] | undefined>
}

/** What the guard is asked about: one SHA to one environment of one service. */
export interface PromotionQuestion {
  service: string
  environment: string
  sha: Sha
  /** What the environment runs now, if known (its probe, else the last success the journal or GitHub knows). */
  currentSha?: Sha
  rollback?: { reason: string }
  /** The person confirmed a first deploy: with no current SHA known, the promote may go ahead. */
  firstDeploy?: boolean
}

/** Evidence for `requirePreviousSuccess`, supplied by the runner from its journal and probes. */
export interface PreviousSuccessPort {
  /** SHAs the journal saw succeed for this service in this environment. */
  succeededShas(service: string, environment: string): Sha[]
  /** What the environment runs now, if known. */
  currentSha(service: string, environment: string): Promise<Sha | undefined>
}

/** The guard's verdict: what kind of move this is, what ships, what goes, and why it may be refused. */
export interface PromotionAssessment {
  kind: PromotePreview['kind']
  commits: CommitSummary[]
  removes: CommitSummary[]
  blockers: AppErrorData[]
}

/**
 * Judges a promote. Forward (the current SHA is an ancestor of the new one) and redeploy (equal) pass;
 * anything else is a rollback and needs `rollback.reason`, otherwise `not-a-descendant` with the
 * commits it would remove (current ^new). With no current SHA known it is a first deploy, refused
 * (`current-unknown`) unless the person confirmed it: an unknown environment is never a reason to skip the
 * ancestry check. A SHA the remote does not have is refused (`not-pushed`).
 * Never throws for a refusal: refusals are `blockers` (see `refuseIfBlocked`).
 */
export async function assessPromotion(
  history: AncestryPort,
  workspace: Workspace,
  evidence: PreviousSuccessPort,
  question: PromotionQuestion,
): Promise<PromotionAssessment> {
  const { service, sha, currentSha } = question
  const blockers: AppErrorData[] = []
  let kind: PromotionAssessment['kind']
  let commits: CommitSummary[] = []
  let removes: CommitSummary[] = []
  if (currentSha === undefined) {
    kind = 'first-deploy'
    if (question.firstDeploy !== true) {
      const message =
        `Trainyard cannot tell what ${question.environment} runs: its probe gave no answer, and neither the deploy ` +
        `journal nor GitHub Deployments has a successful deploy of ${service} there. If nothing runs there yet, ` +
        `confirm a first deploy (--first-deploy); otherwise fix the probe first.`
      blockers.push(new AppError('current-unknown', message).toData())
    }
  } else if (currentSha === sha) kind = 'redeploy'
  else if (await history.isAncestor(service, currentSha, sha)) {
    kind = 'forward'
    commits = await history.range(service, currentSha, sha)
  } else {
    kind = 'rollback'
    removes = await history.range(service, sha, currentSha)
    // A move sideways (diverged histories) also ships commits the environment has not run.
    commits = await history.range(service, currentSha, sha)
    if (question.rollback === undefined) {
      const message =
        `${sha.slice(0, 7)} does not descend from ${currentSha.slice(0, 7)}, which ${question.environment} runs: ` +
        `deploying it would remove ${removes.length} commit${removes.length === 1 ? '' : 's'}. Ask for a rollback with a reason to go ahead.`
      blockers.push(new AppError('not-a-descendant', message, { removes }).toData())
    }
  }
  if (question.rollback !== undefined && question.rollback.reason.trim() === '') {
    blockers.push({
      code: 'invalid-input',
      message: 'A rollback needs a reason; it is recorded in the deploy journal.',
    })
  }
  const localOnly = await history.unpushed(service, sha)
  if (localOnly) {
    const where = localOnly.length > 0 ? ` (only on ${localOnly.join(', ')} here)` : ''
    const what = localOnly[0] ?? 'it'
    blockers.push(
      new AppError(
        'not-pushed',
        `${sha.slice(0, 7)} is on no remote branch${where}: push ${what} first, so the deploy system can build it.`,
        { branches: localOnly },
      ).toData(),
    )
  }
  const previous = await previousSuccessBlocker(history, workspace, evidence, question)
  if (previous) blockers.push(previous)
  return { kind, commits, removes, blockers }
}

/** Throws the first blocker of an assessment as an AppError. */
export function refuseIfBlocked(assessment: PromotionAssessment): void {
  const first = assessment.blockers[0]
  if (first) throw new AppError(first.code, first.message, first.details)
}

/*
 * `requirePreviousSuccess` is met when, for some environment right before this one in a region path,
 * either the journal saw this exact SHA succeed there, or that environment runs this SHA or a
 * descendant of it now (it shipped there, perhaps deployed outside Trainyard). An environment first
 * in every path has no requirement.
 */
async function previousSuccessBlocker(
  history: AncestryPort,
  workspace: Workspace,
  evidence: PreviousSuccessPort,
  question: PromotionQuestion,
): Promise<AppErrorData | undefined> {
  const settings = workspace.environments.find((e) => e.name === question.environment)
  if (!settings?.requirePreviousSuccess) return undefined
  const previous = previousEnvironments(workspace, question.environment)
  if (previous.length === 0) return undefined
  for (const env of previous) {
    if (evidence.succeededShas(question.service, env).includes(question.sha)) return undefined
    const running = await evidence.currentSha(question.service, env)
    if (
      running !== undefined &&
      (running === question.sha || (await history.isAncestor(question.service, question.sha, running)))
    ) {
      return undefined
    }
  }
  return {
    code: 'deploy-conflict',
    message:
      `${question.environment} requires a successful deploy to ${previous.join(' or ')} first: ` +
      `${question.sha.slice(0, 7)} has not succeeded there.`,
    details: { requires: previous },
  }
}
