import type { ProbeConfig, Workspace } from '../../../shared/models/workspace'

/** A credential the workspace names, and what uses it ("endpoint rundeck-main", "service billing repo", …). */
export interface CredentialUse {
  name: string
  usedBy: string[]
}

/** A credential a probe names itself (a version page's bearer token); a probe through an endpoint uses the endpoint's. */
function probeCredential(probe: ProbeConfig | undefined): string | undefined {
  return probe !== undefined && 'credential' in probe ? probe.credential : undefined
}

/** Every credential name the workspace refers to, sorted, with its users; never a value. */
export function credentialNames(workspace: Workspace): CredentialUse[] {
  const uses = new Map<string, Set<string>>()
  const add = (name: string | undefined, user: string): void => {
    if (name === undefined) return
    const users = uses.get(name) ?? new Set<string>()
    users.add(user)
    uses.set(name, users)
  }
  for (const [name, endpoint] of Object.entries(workspace.endpoints)) add(endpoint.credential, `endpoint ${name}`)
  for (const environment of workspace.environments)
    add(probeCredential(environment.probe), `environment ${environment.name} probe`)
  add(workspace.coordination?.credential, 'coordination repo')
  for (const webhook of workspace.webhooks ?? []) add(webhook.credential, `webhook ${webhook.name}`)
  for (const service of workspace.services) {
    add(service.repo.credential, `service ${service.name} repo`)
    for (const [environment, override] of Object.entries(service.environments)) {
      add(probeCredential(override.probe), `service ${service.name} probe in ${environment}`)
    }
  }
  return [...uses.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, users]) => ({ name, usedBy: [...users] }))
}
