import { join } from 'node:path'
import { AppError, toErrorData, type AppErrorData } from '../../../shared/errors'
import type {
  CoordinationState,
  Identity,
  Lock,
  LockRequest,
  SharedRun,
  SharedRunView,
  Signoff,
} from '../../../shared/models/coordination'
import type { DeployRun } from '../../../shared/models/deploys'
import type { Sha, Workspace } from '../../../shared/models/workspace'
import { defaultCoordinationRef, defaultStaleAfterMinutes } from '../../../shared/workspace/defaults'
import type { EventSink } from '../events'
import { Clones } from '../git/clone/clones'
import { redactUrl } from '../git/git-errors'
import { checkScope, findLock, heldRegions, lockView, scopeText } from './locks'
import { RecordStore } from './record-store'
import { newRecordId, recordFile, recordPath, type OverrideEntry, type Records } from './records'

/** What the team's coordination is built from, per open workspace. */
export interface CoordinationOptions {
  workspace: Workspace
  /** `<workspace state>/coordination`: the clone of the coordination ref, or the local records. */
  dir: string
  secret: (name: string) => Promise<string | undefined>
  identity: Identity
  clock: () => Date
  events: EventSink
  /** Whether a deploy run is this Trainyard's own (its journal has it). */
  isOwnRun: (runId: string) => boolean
}

/** The service name the coordination clone goes by in its own `Clones`. */
const CLONE = 'coordination'

/**
 * The team's shared picture for one workspace: locks, sign-offs, runs in progress and the override log, kept by a
 * `RecordStore` on the workspace's coordination repository (or on this machine only when it names none).
 * Reads never touch the network; `fetch` brings the team's news; every write is shared at once or refused.
 */
export class Coordination {
  readonly store: RecordStore
  private readonly clones: Clones | undefined
  private lastFetch: { at: number; error?: AppErrorData } | undefined
  private lastHead: Sha | undefined

  constructor(private readonly options: CoordinationOptions) {
    const settings = options.workspace.coordination
    const common = { clock: options.clock, identity: options.identity }
    if (settings) {
      const clones = new Clones({ root: options.dir, secret: options.secret, clock: options.clock })
      const source = {
        service: CLONE,
        url: settings.repo,
        ...(settings.credential === undefined ? {} : { credential: settings.credential }),
      }
      this.clones = clones
      this.store = new RecordStore({
        ...common,
        gitdir: clones.gitdir(CLONE),
        cache: () => clones.cache(CLONE),
        ref: settings.ref,
        remote: {
          fetch: () => clones.fetchRef(source, settings.ref),
          push: (sha, expected) => clones.pushRef(source, { ref: settings.ref, sha, expectedRemoteSha: expected }),
        },
      })
    } else {
      const cache = {}
      this.store = new RecordStore({
        ...common,
        gitdir: join(options.dir, 'local.git'),
        cache: () => cache,
        ref: defaultCoordinationRef,
      })
    }
  }

  /** Who this Trainyard writes as. */
  get me(): Identity {
    return this.options.identity
  }

  /** Fetches the team's records (shared mode); a failure is kept for the views, never thrown. */
  async fetch(): Promise<void> {
    if (!this.clones) return
    try {
      await this.store.fetch()
      this.lastFetch = { at: Date.now() }
    } catch (error) {
      this.lastFetch = { at: Date.now(), error: toErrorData(error) }
    }
    await this.announce()
  }

  /** The records, fetched first when the last fetch is older than `maxAgeMs` (shared mode). */
  async current(maxAgeMs: number): Promise<Records> {
    if (this.clones && (!this.lastFetch || Date.now() - this.lastFetch.at > maxAgeMs)) await this.fetch()
    return this.store.read()
  }

  /** The picture as views show it; with `refresh`, fetched first. */
  async state(refresh = false): Promise<CoordinationState> {
    if (refresh) await this.fetch()
    return this.view(await this.store.read())
  }

  /** Why the picture may be behind or unshared, in words (undefined when it is fresh and shared). */
  note(): string | undefined {
    if (!this.clones)
      return 'Local only: the workspace names no coordination repository, so teammates do not see these.'
    const error = this.lastFetch?.error
    return error ? `As of the last fetch: ${error.message}` : undefined
  }

  /** Runs in progress with whether each is stale (its author stopped refreshing it) and this Trainyard's own. */
  runs(records: Records): SharedRunView[] {
    const staleMs = (this.options.workspace.coordination?.staleAfterMinutes ?? defaultStaleAfterMinutes) * 60_000
    const now = this.options.clock().getTime()
    return records.runs.map((run) => ({
      ...run,
      stale: now - Date.parse(run.heartbeatAt) > staleMs,
      mine: this.options.isOwnRun(run.runId),
    }))
  }

  /** Sets a lock and shares it. */
  async lock(request: LockRequest): Promise<Lock> {
    checkScope(this.options.workspace, request.scope)
    const now = this.options.clock()
    const lock: Lock = {
      id: newRecordId(now),
      scope: request.scope,
      reason: request.reason.trim(),
      by: this.me,
      at: now.toISOString(),
      ...(request.expiresInMinutes === undefined
        ? {}
        : { expiresAt: new Date(now.getTime() + request.expiresInMinutes * 60_000).toISOString() }),
      ...(request.link === undefined ? {} : { link: request.link }),
    }
    await this.write(`lock ${scopeText(lock.scope)}: ${lock.reason}`, () => [
      { path: recordPath('locks', lock.id), content: recordFile(lock, now) },
    ])
    return lock
  }

  /** Lifts a lock (an id or a unique prefix of it) and shares it. */
  async unlock(id: string): Promise<Lock> {
    let lifted: Lock | undefined
    await this.write(`unlock ${id}`, (records) => {
      const lock = findLock(records.locks, id)
      if (lock.lifted)
        throw new AppError('invalid-input', `Lock ${lock.id} was already lifted by ${lock.lifted.by.name}.`)
      const now = this.options.clock()
      lifted = { ...lock, lifted: { by: this.me, at: now.toISOString() } }
      return [{ path: recordPath('locks', lock.id), content: recordFile(lifted, now) }]
    })
    if (!lifted) throw new AppError('internal', 'The lock was not lifted.')
    return lifted
  }

  /** Records "verified in <environment>" on a service's SHA and shares it. */
  async signoff(service: string, sha: Sha, environment: string, note?: string): Promise<Signoff> {
    checkScope(this.options.workspace, { kind: 'service', service, environment })
    const now = this.options.clock()
    const signoff: Signoff = {
      id: newRecordId(now),
      service,
      sha,
      environment,
      by: this.me,
      at: now.toISOString(),
      ...(note !== undefined && note.trim() !== '' ? { note: note.trim() } : {}),
    }
    await this.write(`sign off ${service} ${sha.slice(0, 7)} in ${environment}`, () => [
      { path: recordPath('signoffs', signoff.id), content: recordFile(signoff, now) },
    ])
    return signoff
  }

  /** Publishes (or refreshes) a run of this Trainyard as in progress. */
  async publishRun(run: DeployRun, heartbeat = false): Promise<void> {
    const now = this.options.clock()
    const shared: SharedRun = {
      runId: run.id,
      service: run.service,
      environment: run.environment,
      sha: run.sha,
      state: run.state,
      by: this.me,
      since: run.requestedAt,
      heartbeatAt: now.toISOString(),
      ...(run.url === undefined ? {} : { url: run.url }),
    }
    const what = heartbeat ? 'still deploying' : 'deploying'
    await this.write(`${what} ${run.service} ${run.sha.slice(0, 7)} to ${run.environment}`, () => [
      { path: recordPath('runs', run.id), content: recordFile(shared, now) },
    ])
  }

  /** Removes a run of this Trainyard once it ended. */
  async endRun(run: DeployRun): Promise<void> {
    await this.write(`${run.state}: ${run.service} ${run.sha.slice(0, 7)} to ${run.environment}`, (records) =>
      records.runs.some((r) => r.runId === run.id) ? [{ path: recordPath('runs', run.id), content: null }] : [],
    )
  }

  /** Records in the coordination log that a run went ahead over locks. */
  async logOverride(run: DeployRun): Promise<void> {
    const override = run.lockOverride
    if (!override) return
    const entry: OverrideEntry = {
      id: newRecordId(this.options.clock()),
      service: run.service,
      environment: run.environment,
      sha: run.sha,
      runId: run.id,
      ...override,
    }
    await this.write(
      `override ${override.locks.join(', ')} for ${run.service} to ${run.environment}: ${override.reason}`,
      () => [{ path: recordPath('log', entry.id), content: recordFile(entry, this.options.clock()) }],
    )
  }

  private async write(message: string, edit: Parameters<RecordStore['write']>[1]): Promise<Records> {
    const records = await this.store.write(message, edit)
    if (this.clones) this.lastFetch = { at: Date.now() }
    await this.announce()
    return records
  }

  /** Tells the views when the records moved. */
  private async announce(): Promise<void> {
    const head = await this.store.head()
    if (head === this.lastHead && !this.lastFetch?.error) return
    this.lastHead = head
    this.options.events.emit('coordination.changed', await this.view(await this.store.read()))
  }

  private async view(records: Records): Promise<CoordinationState> {
    const now = this.options.clock()
    const settings = this.options.workspace.coordination
    const status = this.clones ? await this.clones.status(CLONE) : undefined
    const error = this.lastFetch?.error
    return {
      mode: settings ? 'shared' : 'local',
      ...(settings ? { repo: redactUrl(settings.repo) } : {}),
      ...(status?.fetchedAt ? { fetchedAt: status.fetchedAt } : {}),
      ...(error ? { error } : {}),
      me: this.me,
      locks: records.locks.map((lock) => lockView(lock, now)).sort((a, b) => (a.at < b.at ? 1 : -1)),
      signoffs: [...records.signoffs].sort((a, b) => (a.at < b.at ? 1 : -1)),
      runs: this.runs(records),
      held: heldRegions(this.options.workspace, records.locks, now),
      asOf: now.toISOString(),
    }
  }
}
