import type { AppErrorData } from '../../../shared/errors'
import type { DeployRun, PromotePreview } from '../../../shared/models/deploys'
import type { Sha } from '../../../shared/models/workspace'
import type { PromotionAssessment } from './guard'

/** The last run that reached the provider for one service × environment, from the journal's runs. */
export function lastDeployOf(runs: DeployRun[], service: string, environment: string): PromotePreview['lastDeploy'] {
  let last: DeployRun | undefined
  for (const run of runs) {
    if (run.service !== service || run.environment !== environment) continue
    if (run.state === 'pending') continue
    if (!last || run.requestedAt >= last.requestedAt) last = run
  }
  if (!last) return undefined
  return {
    by: last.requestedBy,
    at: last.endedAt ?? last.startedAt ?? last.requestedAt,
    sha: last.sha,
    state: last.state,
  }
}

/**
 * What a promote would do, for the confirm screen: the commits that ship (or a rollback removes),
 * who last deployed there and when, and every reason it would be refused. A first deploy says so
 * in `kind` and has no commit list (there is nothing to compare with).
 */
export function buildPreview(input: {
  service: string
  environment: string
  sha: Sha
  currentSha?: Sha
  currentSource?: PromotePreview['currentSource']
  assessment: PromotionAssessment
  runs: DeployRun[]
  extraBlockers?: AppErrorData[]
}): PromotePreview {
  const preview: PromotePreview = {
    service: input.service,
    environment: input.environment,
    sha: input.sha,
    kind: input.assessment.kind,
    commits: input.assessment.commits,
    removes: input.assessment.removes,
    blockers: [...(input.extraBlockers ?? []), ...input.assessment.blockers],
  }
  if (input.currentSha !== undefined) preview.currentSha = input.currentSha
  if (input.currentSource !== undefined) preview.currentSource = input.currentSource
  const last = lastDeployOf(input.runs, input.service, input.environment)
  if (last) preview.lastDeploy = last
  return preview
}
