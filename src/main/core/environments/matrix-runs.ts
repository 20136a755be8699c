import type { DeployRun } from '../../../shared/models/deploys'
import type { MatrixCell } from '../../../shared/models/environments'
import type { Sha } from '../../../shared/models/workspace'

type RunFacts = Pick<MatrixCell, 'deployedSince' | 'deployedBy' | 'activeRunId' | 'lastRun' | 'lastDeployedSha'>

const active = new Set<DeployRun['state']>(['pending', 'triggering', 'queued', 'running'])

/** When a run ended, or was asked for when it never did. */
function endOf(run: DeployRun): string {
  return run.endedAt ?? run.requestedAt
}

/**
 * What the journal says about one service × environment next to what its probe reports (`sha`): who deployed the
 * running SHA and since when, a run in progress, the newest run when it did not succeed, and the SHA the newest
 * successful run put there when the probe disagrees with it.
 */
export function runFacts(runs: readonly DeployRun[], service: string, environment: string, sha?: Sha): RunFacts {
  const mine = runs
    .filter((r) => r.service === service && r.environment === environment)
    .sort((a, b) => endOf(b).localeCompare(endOf(a)))
  const facts: RunFacts = {}
  const running = mine.find((r) => active.has(r.state))
  if (running) facts.activeRunId = running.id
  const succeeded = mine.filter((r) => r.state === 'succeeded')
  const put = sha === undefined ? undefined : succeeded.find((r) => r.sha === sha)
  if (put?.endedAt) {
    facts.deployedSince = put.endedAt
    facts.deployedBy = put.requestedBy
  }
  const ended = mine.find((r) => !active.has(r.state))
  const newestSuccess = succeeded[0]
  // An unknown run of the very SHA the probe reports explains the difference: that run is what to settle.
  const explained = ended?.state === 'unknown' && ended.sha === sha
  if (sha !== undefined && newestSuccess !== undefined && newestSuccess.sha !== sha && !explained) {
    facts.lastDeployedSha = newestSuccess.sha
  }
  if (ended !== undefined && ended.state !== 'succeeded') {
    facts.lastRun = {
      id: ended.id,
      state: ended.state,
      sha: ended.sha,
      at: endOf(ended),
      by: ended.requestedBy,
      ...(ended.rollback ? { rollback: true } : {}),
      ...(whyOf(ended) !== undefined ? { why: whyOf(ended) } : {}),
    }
  }
  return facts
}

/** Why a run did not succeed, in the provider's or Trainyard's words. */
function whyOf(run: DeployRun): string | undefined {
  // A provider's detail that only repeats the state ("failed") says nothing more.
  const parts = [run.detail, run.error?.message].filter(
    (p): p is string => p !== undefined && p !== '' && p.toLowerCase() !== run.state,
  )
  return parts.length > 0 ? [...new Set(parts)].join(': ') : undefined
}
