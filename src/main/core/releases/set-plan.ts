import { AppError, toErrorData, type AppErrorData } from '../../../shared/errors'
import type { PromotePreview, PromoteRequest } from '../../../shared/models/deploys'
import type { SetPreview, SetRequest, SetStepPreview, SetStepVerdict } from '../../../shared/models/release-sets'
import type { Sha, Workspace } from '../../../shared/models/workspace'
import { defaultSettings } from '../../../shared/workspace/defaults'
import { deployWaves } from './deploy-order'
import { authorsOf, releaseNote } from './release-note'

/** What planning a set needs: the workspace, what an environment runs, and the single promote's preview. */
export interface SetPlanPorts {
  workspace: Workspace
  /** What an environment runs now (its probe); undefined when it cannot tell. */
  sourceSha: (service: string, environment: string) => Promise<Sha | undefined>
  /** The deploy runner's preview: the guard, locks, active runs and every blocker a single promote has. */
  previewer: { preview(request: PromoteRequest): Promise<PromotePreview> }
}

/** One step a set wants before it is checked: a SHA (or why there is none) for one service × environment. */
export interface WantedStep {
  service: string
  environment: string
  sha?: Sha
  /** Why there is no SHA (the source environment's probe gave no answer). */
  unknown?: AppErrorData
  rollbackReason?: string
  /** Go over the team's locks, with this reason. */
  overrideLock?: { reason: string }
  wave: number
}

/** How many deploys of one wave may run at once in this workspace. */
export function parallelOf(workspace: Workspace): number {
  return workspace.settings.parallelDeploys ?? defaultSettings.parallelDeploys ?? 1
}

/**
 * The preview of promoting what `from` runs (or the pinned SHAs) to `to`: each chosen service checked by the single
 * promote's preview, in dependency waves; a service whose dependency is refused is refused too (it must not go
 * without it). Sends nothing.
 */
export async function planSet(request: SetRequest, ports: SetPlanPorts): Promise<SetPreview> {
  const { workspace } = ports
  const { from, to } = request
  for (const env of [to, from]) {
    if (env !== undefined && !workspace.environments.some((e) => e.name === env))
      throw new AppError('not-found', `There is no environment "${env}" in ${workspace.name}.`)
  }
  if (from === to) throw new AppError('invalid-input', `Promote from one environment to another, not ${to} to itself.`)
  const chosen =
    request.services ?? workspace.services.filter((s) => s.environments[to]?.skip !== true).map((s) => s.name)
  const waves = deployWaves(workspace.services, chosen)
  const wanted = await Promise.all(
    waves.flatMap((wave, at) =>
      wave.map(async (service): Promise<WantedStep> => {
        const pinned = request.shas?.[service]
        if (pinned !== undefined) return { service, environment: to, sha: pinned, wave: at }
        if (from === undefined)
          throw new AppError('invalid-input', `Say where ${service}'s SHA comes from: --from <environment>.`)
        const sha = await ports.sourceSha(service, from).catch(() => undefined)
        if (sha !== undefined) return { service, environment: to, sha, wave: at }
        const unknown = new AppError(
          'current-unknown',
          `Trainyard cannot tell what ${from} runs for ${service}: its probe gave no answer. Fix the probe, or promote ${service} by SHA.`,
        ).toData()
        return { service, environment: to, unknown, wave: at }
      }),
    ),
  )
  const override = request.overrideLock
  const steps = await checkSteps(override ? wanted.map((w) => ({ ...w, overrideLock: override })) : wanted, ports)
  const title = from === undefined ? `to ${to}` : `${from} → ${to}`
  return previewOf(title, steps, parallelOf(workspace), from, to)
}

/** Builds a set's preview from checked steps: authors, commit count, release note. */
export function previewOf(
  title: string,
  steps: SetStepPreview[],
  parallel: number,
  from: string | undefined,
  to: string,
): SetPreview {
  const authors = authorsOf(steps)
  const preview: SetPreview = {
    to,
    steps,
    authors,
    commitCount: authors.reduce((n, a) => n + a.commits.length, 0),
    releaseNote: releaseNote(title, steps, authors),
    parallel,
  }
  if (from !== undefined) preview.from = from
  return preview
}

/**
 * Checks each wanted step with the single promote's preview (all at once: they only read), then refuses, wave by
 * wave, every step whose dependency (`dependsOn`, same environment) is refused.
 */
export async function checkSteps(wanted: readonly WantedStep[], ports: SetPlanPorts): Promise<SetStepPreview[]> {
  const checked = await Promise.all(wanted.map((want) => checkStep(want, ports)))
  const ordered = checked
    .map((step, i) => ({ step, i }))
    .sort((a, b) => a.step.wave - b.step.wave || a.i - b.i)
    .map((x) => x.step)
  for (const step of ordered) {
    const needs = ports.workspace.services.find((s) => s.name === step.service)?.dependsOn ?? []
    const refused = ordered.filter(
      (other) => other.environment === step.environment && needs.includes(other.service) && other.verdict === 'refused',
    )
    if (refused.length === 0 || step.verdict === 'already-there') continue
    for (const dependency of refused) {
      step.blockers.push(
        new AppError(
          'deploy-conflict',
          `${step.service} depends on ${dependency.service}, which is refused here: it does not go without it.`,
          { dependsOn: dependency.service },
        ).toData(),
      )
    }
    step.verdict = 'refused'
  }
  return ordered
}

async function checkStep(want: WantedStep, ports: SetPlanPorts): Promise<SetStepPreview> {
  const step: SetStepPreview = {
    service: want.service,
    environment: want.environment,
    wave: want.wave,
    verdict: 'refused',
    blockers: [],
  }
  if (want.rollbackReason !== undefined) step.rollbackReason = want.rollbackReason
  if (want.sha === undefined) {
    step.blockers = want.unknown ? [want.unknown] : []
    return step
  }
  const request: PromoteRequest = {
    service: want.service,
    environment: want.environment,
    target: want.sha,
    ...(want.rollbackReason !== undefined ? { rollback: { reason: want.rollbackReason } } : {}),
    ...(want.overrideLock ? { overrideLock: want.overrideLock } : {}),
  }
  try {
    const preview = await ports.previewer.preview(request)
    step.sha = preview.sha
    step.preview = preview
    step.blockers = [...preview.blockers]
    step.verdict = verdictOf(preview)
  } catch (error) {
    step.sha = want.sha
    step.blockers = [toErrorData(error)]
  }
  return step
}

/** A redeploy is already there (nothing to do, whatever else holds the target); else any blocker refuses it. */
function verdictOf(preview: PromotePreview): SetStepVerdict {
  if (preview.kind === 'redeploy') return 'already-there'
  return preview.blockers.length > 0 ? 'refused' : 'ships'
}
