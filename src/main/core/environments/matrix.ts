import type { DeployRun } from '../../../shared/models/deploys'
import type { Matrix, MatrixCell, MatrixWarning, ProbeResult } from '../../../shared/models/environments'
import type { TrainCell } from '../../../shared/models/trains'
import type { Workspace } from '../../../shared/models/workspace'
import { AppError } from '../../../shared/errors'
import type { CommitIndex } from '../git/commit-index'
import { resolveTarget } from '../workspace/resolve-target'
import { ancestry } from './where'
import type { LastSeen } from './last-seen'
import { isProduction, previousEnvironments } from '../../../shared/models/region-paths'
import { runFacts } from './matrix-runs'

/** Inputs of the matrix: the probes' answers, the clones' indexes, the journal's runs. */
export interface MatrixInputs {
  workspace: Workspace
  probes: ProbeResult[]
  indexOf: (service: string) => Promise<CommitIndex | undefined>
  runs: DeployRun[]
  lastSeen?: LastSeen
  /** What each production environment runs in train terms (the trains board's region cells), when the workspace has trains. */
  trains?: TrainCell[]
  now: Date
}

/** Builds the services × environments matrix with drift and warnings. */
export async function buildMatrix(inputs: MatrixInputs): Promise<Matrix> {
  const { workspace, probes, runs } = inputs
  const cells: MatrixCell[] = []
  const warnings: MatrixWarning[] = []
  const probeOf = (service: string, environment: string) =>
    probes.find((p) => p.service === service && p.environment === environment)
  for (const service of workspace.services) {
    const index = await inputs.indexOf(service.name)
    for (const env of workspace.environments) {
      if (resolveTarget(workspace, service.name, env.name).skip) continue
      const probe = probeOf(service.name, env.name) ?? {
        service: service.name,
        environment: env.name,
        asOf: inputs.now.toISOString(),
        cached: false,
      }
      const cell: MatrixCell = { service: service.name, environment: env.name, probe }
      const sha = probe.sha
      if (probe.error) {
        const kind = probe.error.code === 'sha-not-in-clone' ? 'sha-missing' : 'probe-failed'
        warnings.push({ kind, service: service.name, environment: env.name, message: probe.error.message })
      }
      if (sha) {
        cell.shortSha = sha.slice(0, 7)
        const record = index?.get(sha)
        if (record) {
          cell.commitTime = new Date(record.time * 1000).toISOString()
          cell.subject = record.subject
        } else if (index) {
          warnings.push({
            kind: 'sha-missing',
            service: service.name,
            environment: env.name,
            message: index.partial
              ? `${env.name} runs ${sha.slice(0, 7)}, which is not in the recent history cloned so far: history still loading.`
              : `${env.name} runs ${sha.slice(0, 7)}, which is not in the clone: fetch ${service.name}.`,
          })
        }
        const previous = previousEnvironments(workspace, env.name)[0]
        const previousSha = previous ? probeOf(service.name, previous)?.sha : undefined
        const drift =
          previous && previousSha && index?.has(previousSha) && index.has(sha)
            ? driftOf(index, sha, previousSha)
            : undefined
        if (previous && drift) {
          cell.previous = previous
          const { ahead, behind } = drift
          cell.aheadOfPrevious = ahead
          cell.behindPrevious = behind
          if (ahead > 0) {
            warnings.push({
              kind: 'not-descendant',
              service: service.name,
              environment: env.name,
              message: `${env.name} runs ${ahead} commit${ahead === 1 ? '' : 's'} that ${previous} does not have (a hotfix, or a deploy out of order).`,
            })
          }
        }
        const seen = inputs.lastSeen?.get(service.name, env.name)
        if (
          seen &&
          seen !== sha &&
          index?.has(seen) &&
          index.has(sha) &&
          isProduction(workspace, env.name) &&
          ancestry(index, sha, seen) === true
        ) {
          warnings.push({
            kind: 'moved-backwards',
            service: service.name,
            environment: env.name,
            message: `${env.name} moved backwards: it ran ${seen.slice(0, 7)}, now ${sha.slice(0, 7)}.`,
          })
        }
      }
      Object.assign(cell, runFacts(runs, service.name, env.name, sha))
      if (cell.lastDeployedSha !== undefined && sha !== undefined) {
        warnings.push({
          kind: 'differs-from-deploy',
          service: service.name,
          environment: env.name,
          message: `${env.name} reports ${sha.slice(0, 7)}, but the last deploy Trainyard ran put ${cell.lastDeployedSha.slice(0, 7)} there: deployed by other means, or a stale probe.`,
        })
      }
      const train = inputs.trains?.find((t) => t.service === service.name && t.environment === env.name)
      if (train?.train !== undefined && train.kind !== undefined) {
        cell.train = {
          name: train.train.name,
          cutDate: train.train.cutDate,
          kind: train.kind,
          ...(train.extra !== undefined ? { extra: train.extra } : {}),
        }
      }
      cells.push(cell)
    }
  }
  inputs.lastSeen?.update(
    cells
      .filter((c) => c.probe.sha && !c.probe.error)
      .map((c) => ({ service: c.service, environment: c.environment, sha: c.probe.sha ?? '' })),
  )
  return {
    services: workspace.services.map((s) => s.name),
    regions: workspace.regions.map((r) => ({ name: r.name, label: r.label, path: r.path })),
    environments: workspace.environments.map((e) => e.name),
    cells,
    warnings,
    asOf: inputs.now.toISOString(),
  }
}

// Drift between two SHAs; none while a shallow clone lacks the history that would count it (`not-ready`).
function driftOf(index: CommitIndex, sha: string, previousSha: string): { ahead: number; behind: number } | undefined {
  try {
    return index.aheadBehind(sha, previousSha)
  } catch (error) {
    if (error instanceof AppError && error.code === 'not-ready') return undefined
    throw error
  }
}
