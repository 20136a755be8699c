import * as v from 'valibot'
import { GRAPH_PAGE_LIMIT } from '../models/graph'
import type { Endpoint, WorkspaceDraft } from '../models/workspace'
import type { CommandInput, CommandName } from './contract'
import { VIEW_IDS } from './views'

const none = v.strictObject({})
const name = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(200))
const text = v.pipe(v.string(), v.maxLength(4000))
const service = name
const environment = name

const promoteRequest = v.strictObject({
  service,
  environment,
  target: v.pipe(v.string(), v.trim(), v.minLength(1, 'say which SHA, branch, tag or #PR to deploy'), v.maxLength(300)),
  rollback: v.optional(
    v.strictObject({ reason: v.pipe(v.string(), v.trim(), v.minLength(1, 'a rollback needs a reason')) }),
  ),
  firstDeploy: v.optional(v.boolean()),
  requestedBy: v.optional(name),
  overrideLock: v.optional(
    v.strictObject({
      reason: v.pipe(v.string(), v.trim(), v.minLength(1, 'say why the lock is overridden'), v.maxLength(500)),
    }),
  ),
})

const lockScope = v.variant('kind', [
  v.strictObject({ kind: v.literal('workspace') }),
  v.strictObject({ kind: v.literal('region'), region: name }),
  v.strictObject({ kind: v.literal('environment'), environment }),
  v.strictObject({ kind: v.literal('service'), service, environment }),
])
const reason = v.pipe(v.string(), v.trim(), v.minLength(1, 'say why'), v.maxLength(500))
const link = v.pipe(
  v.string(),
  v.trim(),
  v.url('a link must be a full URL'),
  v.regex(/^https?:\/\//i, 'a link must be an http(s) URL'),
  v.maxLength(1000),
)
const setRequest = v.strictObject({
  to: environment,
  from: v.optional(environment),
  services: v.optional(v.pipe(v.array(service), v.minLength(1, 'name at least one service'), v.maxLength(500))),
  shas: v.optional(v.record(service, v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(300)))),
  overrideLock: v.optional(v.strictObject({ reason })),
  requestedBy: v.optional(name),
})

/** One schema per command input, typed against the contract: a schema that drifts from its type fails the build. */
export const inputSchemas = {
  'workspace.open': v.strictObject({ file: name }),
  'workspace.current': none,
  'workspace.validate': v.strictObject({ file: name }),
  'workspace.recent': none,
  'workspace.close': none,
  // The draft is checked whole by writing it and reading it back with the workspace reader, which reports
  // every problem with its line; here only its shape as an object is checked.
  'workspace.create': v.strictObject({
    file: name,
    draft: v.custom<WorkspaceDraft>(
      (x) => typeof x === 'object' && x !== null && !Array.isArray(x),
      'the workspace draft must be an object',
    ),
    secrets: v.array(v.strictObject({ name, secret: v.pipe(v.string(), v.minLength(1, 'the secret is empty')) })),
    overwrite: v.optional(v.boolean()),
  }),
  'endpoints.test': v.strictObject({
    endpoint: v.custom<Endpoint>(
      (x) =>
        typeof x === 'object' &&
        x !== null &&
        typeof (x as { kind?: unknown }).kind === 'string' &&
        typeof (x as { url?: unknown }).url === 'string',
      'an endpoint needs a kind and a url',
    ),
    secret: v.optional(v.string()),
  }),
  'demo.start': v.strictObject({ reset: v.optional(v.boolean()) }),
  'credentials.list': none,
  'credentials.set': v.strictObject({ name, secret: v.pipe(v.string(), v.minLength(1, 'the secret is empty')) }),
  'credentials.delete': v.strictObject({ name }),
  'preferences.get': none,
  'preferences.set': v.strictObject({
    theme: v.optional(v.picklist(['system', 'light', 'dark'])),
    lastView: v.optional(v.picklist(VIEW_IDS)),
  }),
  'repos.status': none,
  'repos.fetch': v.strictObject({ service: v.optional(service) }),
  'repos.cancel': v.strictObject({ service }),
  'environments.matrix': v.strictObject({ refresh: v.optional(v.boolean()) }),
  'environments.compare': v.strictObject({ service, from: name, to: name }),
  'environments.where': v.strictObject({ query: name, service: v.optional(service) }),
  'deploys.preview': promoteRequest,
  'deploys.start': promoteRequest,
  'deploys.list': v.strictObject({
    service: v.optional(service),
    environment: v.optional(environment),
    state: v.optional(name),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
  }),
  'deploys.get': v.strictObject({ runId: name }),
  'deploys.abort': v.strictObject({ runId: name }),
  'deploys.resolve': v.strictObject({ runId: name, state: v.picklist(['succeeded', 'failed']), note: text }),
  'deploys.journal': none,
  'sets.preview': setRequest,
  'sets.start': setRequest,
  'sets.list': none,
  'sets.get': v.strictObject({ setId: name }),
  'sets.resume': v.strictObject({ setId: name }),
  'sets.abort': v.strictObject({ setId: name }),
  'trains.board': none,
  'trains.cut': none,
  'trains.preview': v.strictObject({
    region: name,
    trainId: name,
    overrideLock: v.optional(v.strictObject({ reason })),
  }),
  'trains.promote': v.strictObject({
    region: name,
    trainId: name,
    overrideLock: v.optional(v.strictObject({ reason })),
  }),
  'hotfix.create': v.strictObject({ service, region: name, at: v.optional(name) }),
  'hotfix.pick': v.strictObject({
    service,
    branch: name,
    commits: v.pipe(v.array(name), v.minLength(1, 'say which commits to pick'), v.maxLength(100)),
    dryRun: v.optional(v.boolean()),
    mainline: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(16))),
  }),
  'hotfix.push': v.strictObject({ service, branch: name }),
  'graph.page': v.strictObject({
    service,
    offset: v.pipe(v.number(), v.integer(), v.minValue(0)),
    limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(GRAPH_PAGE_LIMIT)),
    branches: v.optional(v.array(name)),
  }),
  'graph.commit': v.strictObject({ service, sha: name }),
  'coordination.state': v.strictObject({ refresh: v.optional(v.boolean()) }),
  'coordination.lock': v.strictObject({
    scope: lockScope,
    reason,
    expiresInMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(60 * 24 * 90))),
    link: v.optional(link),
  }),
  'coordination.unlock': v.strictObject({ lockId: name }),
  'coordination.signoff': v.strictObject({
    service,
    target: name,
    environment,
    note: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(1000))),
  }),
  'watches.add': v.strictObject({ query: name, environment }),
  'watches.list': none,
  'watches.remove': v.strictObject({ id: name }),
  'graph.locate': v.strictObject({ service, query: name, branches: v.optional(v.array(name)) }),
} satisfies { [C in CommandName]: v.GenericSchema<unknown, CommandInput<C>> }
