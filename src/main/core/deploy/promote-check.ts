import { AppError } from '../../../shared/errors'
import type { DeployRun, PromotePreview, PromoteRequest } from '../../../shared/models/deploys'
import type { Sha, Workspace } from '../../../shared/models/workspace'
import type { ProviderBinding } from './deploy-request'
import { assessPromotion, type AncestryPort, type PromotionAssessment } from './guard'
import { newRunId } from './run-ids'
import { lastSuccess } from './run-queries'

/** What checking a promote needs from the runner's options. */
export interface PromoteCheckPorts {
  workspace: Workspace
  providerFor: (service: string, environment: string) => ProviderBinding | undefined
  history: AncestryPort
  /** What an environment runs now (a probe); undefined when unknown. */
  currentSha: (service: string, environment: string) => Promise<Sha | undefined>
  /** What the team's shared ledger (GitHub Deployments) last saw succeed there, asked when the probe and the journal cannot tell. */
  ledgerSha?: (service: string, environment: string) => Promise<Sha | undefined>
}

/** What an environment runs as far as Trainyard can tell, and from where; nothing when it cannot. */
export type KnownCurrent =
  { sha: Sha; from: NonNullable<PromotePreview['currentSource']> } | { sha?: undefined; from?: undefined }

/** The deploy job of a request's service × environment; AppError `not-found` naming what is missing. */
export function bindingFor(ports: PromoteCheckPorts, request: PromoteRequest): ProviderBinding {
  const { workspace } = ports
  if (!workspace.services.some((s) => s.name === request.service))
    throw new AppError('not-found', `There is no service "${request.service}" in ${workspace.name}.`)
  if (!workspace.environments.some((e) => e.name === request.environment))
    throw new AppError('not-found', `There is no environment "${request.environment}" in ${workspace.name}.`)
  const binding = ports.providerFor(request.service, request.environment)
  if (!binding)
    throw new AppError(
      'not-found',
      `${request.service} has no deploy job for ${request.environment}; add one to the workspace file.`,
    )
  return binding
}

/**
 * What the environment runs: its probe; when the probe cannot tell, the last success in the journal's `runs`, then
 * the last successful GitHub deployment. Never a guess: with none of them it is unknown.
 */
export async function knownCurrent(
  ports: PromoteCheckPorts,
  runs: DeployRun[],
  request: PromoteRequest,
): Promise<KnownCurrent> {
  const probed = await ports.currentSha(request.service, request.environment)
  if (probed !== undefined) return { sha: probed, from: 'probe' }
  const last = lastSuccess(runs, request.service, request.environment)
  if (last) return { sha: last.sha, from: 'journal' }
  const shared = await ports.ledgerSha?.(request.service, request.environment).catch(() => undefined)
  return shared ? { sha: shared, from: 'github' } : {}
}

/** The guard's verdict on a request, with the journal's successes as evidence for `requirePreviousSuccess`. */
export function assessRequest(
  ports: PromoteCheckPorts,
  runs: DeployRun[],
  request: PromoteRequest,
  sha: Sha,
  currentSha: Sha | undefined,
): Promise<PromotionAssessment> {
  const evidence = {
    succeededShas: (service: string, environment: string) =>
      runs
        .filter((r) => r.service === service && r.environment === environment && r.state === 'succeeded')
        .map((r) => r.sha),
    currentSha: ports.currentSha,
  }
  const question = {
    service: request.service,
    environment: request.environment,
    sha,
    ...(currentSha === undefined ? {} : { currentSha }),
    ...(request.rollback ? { rollback: request.rollback } : {}),
    ...(request.firstDeploy === true ? { firstDeploy: true } : {}),
  }
  return assessPromotion(ports.history, ports.workspace, evidence, question)
}

/** A new run for a request that passed the guard, `pending` until the journal has it. */
export function newRun(
  request: PromoteRequest,
  sha: Sha,
  currentSha: Sha | undefined,
  assessment: PromotionAssessment,
  binding: ProviderBinding,
  user: string,
  now: Date,
): DeployRun {
  const run: DeployRun = {
    id: newRunId(now),
    service: request.service,
    environment: request.environment,
    sha,
    provider: binding.request.job.provider,
    state: 'pending',
    requestedBy: request.requestedBy ?? user,
    requestedAt: now.toISOString(),
  }
  if (currentSha !== undefined) run.previousSha = currentSha
  // A reason given with a forward move is not a rollback and is not recorded as one.
  if (assessment.kind === 'rollback' && request.rollback) run.rollback = { reason: request.rollback.reason }
  return run
}
