import { AppError } from '../../../shared/errors'
import type { DeployJobConfig, ProbeConfig, Workspace } from '../../../shared/models/workspace'
import { fillTemplate } from './templates'

/** How one service is read and deployed in one environment, after its override and with names filled in. */
export interface Target {
  probe: ProbeConfig
  deploy?: DeployJobConfig
  /** The service does not run in this environment. */
  skip: boolean
}

function fillProbe(probe: ProbeConfig, vars: Record<string, string>): ProbeConfig {
  const fill = (text: string): string => fillTemplate(text, vars)
  switch (probe.kind) {
    case 'http':
      // The pattern and the pointer are not templates: a regex's `{40}` must stay as written.
      return { ...probe, url: fill(probe.url) }
    case 'rundeck':
      return {
        ...probe,
        jobId: fill(probe.jobId),
        ...(probe.environmentOption
          ? { environmentOption: { ...probe.environmentOption, value: fill(probe.environmentOption.value) } }
          : {}),
      }
    case 'jenkins':
      return {
        ...probe,
        job: fill(probe.job),
        ...(probe.environmentParameter
          ? { environmentParameter: { ...probe.environmentParameter, value: fill(probe.environmentParameter.value) } }
          : {}),
      }
    case 'github':
      return { ...probe, environment: fill(probe.environment) }
    case 'git-ref':
      return { ...probe, ref: fill(probe.ref) }
    case 'none':
      return probe
  }
}

function fillValues(values: Record<string, string>, vars: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, fillTemplate(value, vars)]))
}

function fillDeploy(deploy: DeployJobConfig, vars: Record<string, string>): DeployJobConfig {
  switch (deploy.provider) {
    case 'rundeck':
      return { ...deploy, jobId: fillTemplate(deploy.jobId, vars), options: fillValues(deploy.options, vars) }
    case 'jenkins':
      return { ...deploy, job: fillTemplate(deploy.job, vars), parameters: fillValues(deploy.parameters, vars) }
  }
}

/**
 * The probe and deploy job of `service` in `environment`: the service's override if it has one, else the environment's,
 * with `{service}` and `{environment}` filled in. `{sha}` is left in place for the deploy to fill with `fillTemplate`.
 */
export function resolveTarget(workspace: Workspace, service: string, environment: string): Target {
  const found = workspace.services.find((s) => s.name === service)
  if (!found) throw new AppError('not-found', `There is no service "${service}" in this workspace.`)
  const env = workspace.environments.find((e) => e.name === environment)
  if (!env) throw new AppError('not-found', `There is no environment "${environment}" in this workspace.`)
  const override = found.environments[environment] ?? {}
  const vars = { service, environment, sha: '{sha}' }
  const deploy = override.deploy ?? env.deploy
  const target: Target = { probe: fillProbe(override.probe ?? env.probe, vars), skip: override.skip ?? false }
  if (deploy) target.deploy = fillDeploy(deploy, vars)
  return target
}
