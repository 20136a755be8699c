import { randomBytes } from 'node:crypto'
import * as v from 'valibot'
import type { Lock, LockOverride, SharedRun, Signoff } from '../../../shared/models/coordination'

/** A lock override as the coordination log keeps it: which promote went ahead over which locks. */
export interface OverrideEntry extends LockOverride {
  id: string
  service: string
  environment: string
  sha: string
  runId?: string
}

/** Every record of the coordination ref, one file each; files that could not be read are listed, not guessed. */
export interface Records {
  locks: Lock[]
  signoffs: Signoff[]
  runs: SharedRun[]
  log: OverrideEntry[]
  /** Paths of files that are not a record this Trainyard understands (skipped). */
  unreadable: string[]
}

/** A change to one record file: `content` null deletes it. */
export interface FileChange {
  path: string
  content: string | null
}

/** The folders of the coordination tree, one per kind of record. */
export type RecordKind = 'locks' | 'signoffs' | 'runs' | 'log'

const text = v.pipe(v.string(), v.maxLength(4000))
const iso = v.pipe(v.string(), v.isoTimestamp())
const sha = v.pipe(v.string(), v.regex(/^[0-9a-f]{40}$/))
const identity = v.object({ name: text, email: v.optional(text) })
const scope = v.variant('kind', [
  v.object({ kind: v.literal('workspace') }),
  v.object({ kind: v.literal('region'), region: text }),
  v.object({ kind: v.literal('environment'), environment: text }),
  v.object({ kind: v.literal('service'), service: text, environment: text }),
])
const schemas = {
  locks: v.object({
    id: text,
    scope,
    reason: text,
    by: identity,
    at: iso,
    expiresAt: v.optional(iso),
    link: v.optional(text),
    lifted: v.optional(v.object({ by: identity, at: iso })),
  }),
  signoffs: v.object({
    id: text,
    service: text,
    sha,
    environment: text,
    by: identity,
    at: iso,
    note: v.optional(text),
  }),
  runs: v.object({
    runId: text,
    service: text,
    environment: text,
    sha,
    state: v.picklist(['pending', 'triggering', 'queued', 'running', 'succeeded', 'failed', 'aborted', 'unknown']),
    by: identity,
    since: iso,
    heartbeatAt: iso,
    url: v.optional(text),
  }),
  log: v.object({
    id: text,
    service: text,
    environment: text,
    sha,
    runId: v.optional(text),
    reason: text,
    by: identity,
    at: iso,
    locks: v.array(text),
  }),
} satisfies Record<RecordKind, v.GenericSchema>

/** A new record id: sortable by time, unique enough for a team (`20261207T154957Z-3f9a1c`). */
export function newRecordId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  return `${stamp}-${randomBytes(3).toString('hex')}`
}

/** Where a record lives in the tree: `<kind>/<id>.json`; ids with anything but `[\w.-]` are refused by the caller. */
export function recordPath(kind: RecordKind, id: string): string {
  return `${kind}/${id.replace(/[^\w.-]/g, '_')}.json`
}

/** A record file's text: the record plus `updatedAt`, which decides when both sides of a merge changed it. */
export function recordFile(record: object, updatedAt: Date): string {
  return `${JSON.stringify({ ...record, updatedAt: updatedAt.toISOString() }, null, 2)}\n`
}

/** When a record file was last written (its `updatedAt`), in ms; 0 when it does not say. */
export function recordTime(content: string): number {
  try {
    const at = (JSON.parse(content) as { updatedAt?: unknown }).updatedAt
    const ms = typeof at === 'string' ? Date.parse(at) : NaN
    return Number.isNaN(ms) ? 0 : ms
  } catch {
    return 0
  }
}

/** Reads record files (path → text) into records, skipping (and listing) what is not a valid record. */
export function parseRecords(files: ReadonlyMap<string, string>): Records {
  const records: Records = { locks: [], signoffs: [], runs: [], log: [], unreadable: [] }
  for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const kind = path.split('/')[0] as RecordKind
    const schema = Object.hasOwn(schemas, kind) ? schemas[kind] : undefined
    let json: unknown
    try {
      json = JSON.parse(content)
    } catch {
      json = undefined
    }
    const parsed = schema ? v.safeParse(schema, json) : undefined
    if (!parsed?.success) {
      records.unreadable.push(path)
      continue
    }
    // Only the schema's keys are kept: `updatedAt` and anything a newer Trainyard adds stay in the file.
    switch (kind) {
      case 'locks':
        records.locks.push(parsed.output as Lock)
        break
      case 'signoffs':
        records.signoffs.push(parsed.output as Signoff)
        break
      case 'runs':
        records.runs.push(parsed.output as SharedRun)
        break
      case 'log':
        records.log.push(parsed.output as OverrideEntry)
        break
      default: {
        const never: never = kind
        records.unreadable.push(String(never))
      }
    }
  }
  return records
}
