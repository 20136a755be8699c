import type { CredentialState } from '../../../shared/api/views'
import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'
import { credentialNames } from '../workspace/credential-names'

/** Setting and listing keychain credentials: values go in, only "set / not set / check failed" comes out. */
export function credentialCommands(
  ctx: CockpitContext,
): Pick<CommandHandlers, 'credentials.list' | 'credentials.set' | 'credentials.delete'> {
  async function stateOf(name: string, usedBy: string[]): Promise<CredentialState> {
    const set = await ctx.secrets.has(name)
    return { name, usedBy, state: !set ? 'not-set' : ctx.failedCredentials.has(name) ? 'check-failed' : 'set' }
  }
  function usedBy(name: string): string[] {
    const workspace = ctx.session.view?.workspace
    return workspace ? (credentialNames(workspace).find((c) => c.name === name)?.usedBy ?? []) : []
  }
  return {
    'credentials.list': async () => {
      const workspace = ctx.session.view?.workspace
      if (!workspace) return []
      return Promise.all(credentialNames(workspace).map((c) => stateOf(c.name, c.usedBy)))
    },
    'credentials.set': async ({ name, secret }) => {
      await ctx.secrets.set(name, secret)
      ctx.failedCredentials.delete(name)
      return stateOf(name, usedBy(name))
    },
    'credentials.delete': async ({ name }) => {
      await ctx.secrets.delete(name)
      ctx.failedCredentials.delete(name)
      return stateOf(name, usedBy(name))
    },
  }
}
