import type { Sha } from '../../../shared/models/workspace'
import { fillJob } from '../integrations/registry'
import { fillTemplate } from '../workspace/templates'
import type { DeployProvider, ProviderDeployRequest } from './provider'

/** The provider and filled-in job that deploy one service to one environment. */
export interface ProviderBinding {
  provider: DeployProvider
  request: Omit<ProviderDeployRequest, 'sha'>
}

/** The request a provider gets: the job's `{sha}` (and any `{service}`/`{environment}` left) filled in. */
export function deployRequest(binding: ProviderBinding, sha: Sha): ProviderDeployRequest {
  const { service, environment, job } = binding.request
  const vars = { service, environment, sha }
  return { service, environment, sha, job: fillJob(job, (text) => fillTemplate(text, vars)) }
}

/** Trigger errors that prove the provider refused: nothing was started, so the run failed. Others leave it unknown. */
const REFUSALS = new Set([
  'auth-failed',
  'forbidden',
  'not-found',
  'deploy-conflict',
  'invalid-input',
  'invalid-workspace',
  'credential-missing',
  'unsupported',
  'deploy-failed',
])

/** Whether a trigger error proves nothing was started (the run failed) rather than leaving it unknown. */
export function isRefusal(code: string): boolean {
  return REFUSALS.has(code)
}
