import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'
import { credentialNames } from '../workspace/credential-names'

/** Setting and listing keychain credentials: values go in, only "set / not set / check failed" comes out. */
export function credentialCommands(
  ctx: CockpitContext,
): Pick<CommandHandlers, 'credentials.list' | 'credentials.set' | 'credentials.delete'> {
  function usedBy(name: string): string[] {
    const workspace = ctx.session.view?.workspace
    return workspace ? (credentialNames(workspace).find((c) => c.name === name)?.usedBy ?? []) : []
  }
  return {
    'credentials.list': async () => {
      const workspace = ctx.session.view?.workspace
      return workspace ? ctx.credentials.list(credentialNames(workspace)) : []
    },
    'credentials.set': ({ name, secret }) => ctx.credentials.set(name, secret, usedBy(name)),
    'credentials.delete': ({ name }) => ctx.credentials.delete(name, usedBy(name)),
  }
}
