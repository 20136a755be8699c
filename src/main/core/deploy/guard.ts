import { AppError, type AppErrorData } from '../../../shared/errors'
import type { CommitSummary } from '../../../shared/models/commits'
import type { PromotePreview } from '../../../shared/models/deploys'
import type { Sha, Workspace } from '../../../shared/models/workspace'

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
}

/** What the guard is asked about: one SHA to one environment of one service. */
export interface PromotionQuestion {
  service: string
  environment: string
  sha: Sha
  /** What the environment runs now, if known. */
  currentSha?: Sha
  rollback?: { reason: string }
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
 * commits it would remove (current ^new). With no current SHA known it is a first deploy.
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
  if (currentSha === undefined) kind = 'first-deploy'
  else if (currentSha === sha) kind = 'redeploy'
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
  const previous = await previousSuccessBlocker(history, workspace, evidence, question)
  if (previous) blockers.push(previous)
  return { kind, commits, removes, blockers }
}

/** Throws the first blocker of an assessment as an AppError. */
export function refuseIfBlocked(assessment: PromotionAssessment): void {
  const first = assessment.blockers[0]
  if (first) throw new AppError(first.code, first.message, first.details)
}

/** Environments right before `environment` in any region path. */
export function previousEnvironments(workspace: Workspace, environment: string): string[] {
  const found = new Set<string>()
  for (const region of workspace.regions) {
    const index = region.path.indexOf(environment)
    const before = index > 0 ? region.path[index - 1] : undefined
    if (before !== undefined) found.add(before)
  }
  return [...found]
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
