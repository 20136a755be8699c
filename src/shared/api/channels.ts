import type { CommandName, EventName } from './contract'

type Exactly<Name extends string> = { [K in Name]: true }

// An object with one key per channel: a missing or misspelt key fails the build.
const commandTable = {
  'workspace.open': true,
  'workspace.current': true,
  'workspace.validate': true,
  'workspace.recent': true,
  'workspace.close': true,
  'workspace.create': true,
  'endpoints.test': true,
  'demo.start': true,
  'credentials.list': true,
  'credentials.set': true,
  'credentials.delete': true,
  'preferences.get': true,
  'preferences.set': true,
  'repos.status': true,
  'repos.fetch': true,
  'repos.cancel': true,
  'environments.matrix': true,
  'environments.compare': true,
  'environments.where': true,
  'deploys.preview': true,
  'deploys.start': true,
  'deploys.list': true,
  'deploys.get': true,
  'deploys.abort': true,
  'deploys.resolve': true,
  'deploys.journal': true,
  'sets.preview': true,
  'sets.start': true,
  'sets.list': true,
  'sets.get': true,
  'sets.resume': true,
  'sets.abort': true,
  'trains.board': true,
  'trains.cut': true,
  'trains.preview': true,
  'trains.promote': true,
  'hotfix.create': true,
  'hotfix.pick': true,
  'hotfix.push': true,
  'graph.page': true,
  'graph.commit': true,
  'coordination.state': true,
  'coordination.lock': true,
  'coordination.unlock': true,
  'coordination.signoff': true,
  'watches.add': true,
  'watches.list': true,
  'watches.remove': true,
  'graph.locate': true,
} as const satisfies Exactly<CommandName>

const eventTable = {
  'workspace.changed': true,
  'repos.progressed': true,
  'repos.fetched': true,
  'environments.probed': true,
  'deploys.changed': true,
  'deploys.logged': true,
  'notifications.shown': true,
  'trains.changed': true,
  'sets.changed': true,
  'coordination.changed': true,
  'watches.fired': true,
  'app.requested': true,
} as const satisfies Exactly<EventName>

/** Every command channel, at run time. */
export const commandChannels = Object.keys(commandTable) as CommandName[]
/** Every event channel, at run time. */
export const eventChannels = Object.keys(eventTable) as EventName[]

/** Whether a string names a command channel. */
export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandTable, name)
}
