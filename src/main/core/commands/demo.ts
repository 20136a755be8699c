import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'

/** The built-in demo: prepare (or reset) it, start its servers, open its workspace. */
export function demoCommands(
  ctx: CockpitContext,
  open: (file: string) => ReturnType<CommandHandlers['workspace.open']>,
): Pick<CommandHandlers, 'demo.start'> {
  return {
    'demo.start': async ({ reset }) => open(await ctx.ensureDemo(reset ?? false)),
  }
}
