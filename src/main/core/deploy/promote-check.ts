import { AppError, type AppErrorData } from '../../../shared/errors'
import type { DeployRun, PromotePreview, PromoteRequest } from '../../../shared/models/deploys'
import type { Sha, Workspace } from '../../../shared/models/workspace'
import type { ProviderBinding } from './deploy-request'
import { assessPromotion, type AncestryPort, type PromotionAssessment } from './guard'
import type { GateVerdict, PromotionGate } from './promotion-gate'
import { buildPreview } from './preview'
import { newRunId } from './run-ids'
import { lastSuccess } from './run-queries'

/** What checking a promote needs from the runner's options. */
export interface PromoteCheckPorts {
  workspace: Workspace
  providerFor: (service: string, environment: string) => ProviderBinding | undefined
  history: AncestryPort
  /** What an environment runs now, as its probe answers it now; undefined when the probe gives no answer. */
  currentSha: (service: string, environment: string) => Promise<Sha | undefined>
  /** What the probe last answered there, and when (its cache); asked when it gives no answer now. */
  lastProbed?: (service: string, environment: string) => Promise<Seen | undefined>
  /** What the team's shared ledger (GitHub Deployments) last saw succeed there, and when; asked when the probe gives no answer. */
  ledgerSha?: (service: string, environment: string) => Promise<Seen | undefined>
  /** The team's say (locks, sign-offs, runs others have in progress), asked after the guard. */
  gate?: PromotionGate
}

/** Everything a promote is judged on: its SHA, what the environment runs and how that is known, the guard's verdict and the team's. */
export interface PromoteCheck {
  sha: Sha
  current: KnownCurrent
  assessment: PromotionAssessment
  gated?: GateVerdict
}

/**
 * Judges a request the same way for the preview and for the start: resolve the SHA, find what the environment runs,
 * ask the guard, then the team's gate. `isOwnRun` tells the gate which live runs are the runner's own.
 */
export async function checkRequest(
  ports: PromoteCheckPorts,
  runs: DeployRun[],
  request: PromoteRequest,
  isOwnRun: (runId: string) => boolean,
): Promise<PromoteCheck> {
  const sha = await ports.history.resolve(request.service, request.target)
  const current = await knownCurrent(ports, runs, request)
  const assessment = await assessRequest(ports, runs, request, sha, current.sha)
  const question = { request, sha, ships: assessment.commits, isOwnRun }
  const gated = await ports.gate?.assess(
    current.sha === undefined ? question : { ...question, currentSha: current.sha },
  )
  return { sha, current, assessment, ...(gated ? { gated } : {}) }
}

/** A SHA some source saw running, and when (ISO). */
export interface Seen {
  sha: Sha
  at: string
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
 * What the environment runs: its probe's answer now; when it gives none, the newest of what the probe last answered,
 * the last success in the journal's `runs` and the last successful GitHub deployment (the journal wins a tie). Never a
 * guess: with none of them it is unknown.
 */
export async function knownCurrent(
  ports: PromoteCheckPorts,
  runs: DeployRun[],
  request: PromoteRequest,
): Promise<KnownCurrent> {
  const { service, environment } = request
  const probed = await ports.currentSha(service, environment)
  if (probed !== undefined) return { sha: probed, from: 'probe' }
  const last = lastSuccess(runs, service, environment)
  const candidates: { seen: Seen | undefined; from: 'cache' | 'journal' | 'github' }[] = [
    { seen: last ? { sha: last.sha, at: last.endedAt ?? last.requestedAt } : undefined, from: 'journal' },
    { seen: await ports.lastProbed?.(service, environment).catch(() => undefined), from: 'cache' },
    { seen: await ports.ledgerSha?.(service, environment).catch(() => undefined), from: 'github' },
  ]
  let newest: KnownCurrent = {}
  let newestAt = -Infinity
  for (const { seen, from } of candidates) {
    const at = seen === undefined ? NaN : Date.parse(seen.at)
    if (seen === undefined || !(at > newestAt)) continue
    newest = { sha: seen.sha, from }
    newestAt = at
  }
  return newest
}

/** The preview of a checked request: the guard's and the team's blockers, plus the runner's own (`extraBlockers`). */
export function previewOf(
  check: PromoteCheck,
  request: PromoteRequest,
  runs: DeployRun[],
  extraBlockers: AppErrorData[],
): PromotePreview {
  const { sha, current, assessment, gated } = check
  const built = buildPreview({
    service: request.service,
    environment: request.environment,
    sha,
    assessment,
    runs,
    extraBlockers: [...extraBlockers, ...(gated?.blockers ?? [])],
    ...(current.sha === undefined ? {} : { currentSha: current.sha, currentSource: current.from }),
  })
  return gated ? { ...built, coordination: gated.view } : built
}

/** Refuses (`deploy-conflict`) while the provider reports a run of this job for this environment. */
export async function refuseIfProviderBusy(binding: ProviderBinding, request: PromoteRequest): Promise<void> {
  if ((await binding.provider.running(binding.request)).length > 0) {
    const { service, environment } = request
    throw new AppError(
      'deploy-conflict',
      `A deploy of ${service} to ${environment} is already running in ${binding.request.job.provider}; wait for it to finish.`,
    )
  }
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
