import { AppError } from '../../../shared/errors'
import type { DeployJobConfig, ProbeConfig, Workspace } from '../../../shared/models/workspace'
import { fillJob, fillProbe } from '../integrations/registry'
import { fillTemplate } from './templates'

/** How one service is read and deployed in one environment, after its override and with names filled in. */
export interface Target {
  probe: ProbeConfig
  deploy?: DeployJobConfig
  /** The service does not run in this environment. */
  skip: boolean
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
  const fill = (text: string): string => fillTemplate(text, vars)
  const deploy = override.deploy ?? env.deploy
  const target: Target = { probe: fillProbe(override.probe ?? env.probe, fill), skip: override.skip ?? false }
  if (deploy) target.deploy = fillJob(deploy, fill)
  return target
}
