import { createHash } from 'node:crypto'
import { basename, join } from 'node:path'
import { toErrorData } from '../../../shared/errors'
import type { CommitSummary } from '../../../shared/models/commits'
import type { Identity } from '../../../shared/models/coordination'
import type { ProbeResult } from '../../../shared/models/environments'
import type { Workspace } from '../../../shared/models/workspace'
import type { AppPaths } from '../app-paths'
import type { Notifier } from '../deploy/notifier'
import { DeployRunner } from '../deploy/runner'
import type { AncestryPort } from '../deploy/guard'
import { LastSeen } from '../environments/last-seen'
import { createProbeRunner, type ProbeRunner } from '../environments/probe-runner'
import { resolveAgain, type ResolvePorts } from '../environments/probes/resolve-sha'
import type { EventHub } from '../events'
import { BackgroundFetch } from '../git/background-fetch'
import { Clones } from '../git/clone/clones'
import type { Logger } from '../logger'
import { branchAliases } from '../repos/resolve-input'
import { ServiceRepos, summaryOf } from '../repos/service-repos'
import { unpushedBranches } from '../repos/unpushed'
import { deployBindings } from './deploy-bindings'
import { CoordinationRuntime } from './coordination-runtime'
import { answerWhere } from './where-answer'
import type { DeployRecorder } from '../integrations/integration'
import { createRecorders } from '../integrations/registry'
import { SetRunner } from '../releases/set-runner'
import { SHALLOW_FIRST_DEPTH } from '../git/clone/shallow'
import { historyLoading } from '../git/commit-index-cut'

/** How often an open workspace reads what other processes wrote to its deploy journal. */
const JOURNAL_WATCH_MS = 5000

/** The ports a workspace's runtime is built from. */
export interface RuntimePorts {
  paths: AppPaths
  secret: (name: string) => Promise<string | undefined>
  events: EventHub
  notifier: Notifier
  logger: Logger
  clock: () => Date
  user: string
  /** Who writes the team's coordination records (git identity, else the OS user). */
  identity: Identity
  /** Where this workspace's clones, journal and caches live (the demo has its own). */
  stateDir?: string
  /** Work that runs on its own while the process lives (the equivalence fill); off for a one-shot CLI command. */
  backgroundWork?: boolean
  fetch?: typeof fetch
}

/** Where a workspace's state lives: one folder per workspace file, named after it. */
export function workspaceStateDir(paths: AppPaths, file: string): string {
  const hash = createHash('sha256').update(file).digest('hex').slice(0, 10)
  return join(
    paths.data,
    'workspaces',
    `${basename(file)
      .replace(/\.ya?ml$/i, '')
      .replace(/[^\w.-]+/g, '-')}-${hash}`,
  )
}

/** Everything built for one open workspace: clones and indexes, probes, the deploy runner, background fetch. */
export class WorkspaceRuntime {
  readonly repos: ServiceRepos
  readonly probes: ProbeRunner
  readonly runner: DeployRunner
  /** Set promotions (several services to one environment, or a train), each step a run of `runner`. */
  readonly sets: SetRunner
  readonly lastSeen: LastSeen
  /** The shared records of the runs (GitHub Deployments, for services with a `github:` repository). */
  readonly ledgers: DeployRecorder
  /** This workspace's state folder: clones, journal, caches, manual train cuts. */
  readonly stateDir: string
  /** The team's shared picture: locks, sign-offs, runs in progress, webhooks, watches. */
  readonly team: CoordinationRuntime
  private readonly background: BackgroundFetch
  private latest: ProbeResult[] = []
  private closed = false
  private watchJournal: ReturnType<typeof setInterval> | undefined

  constructor(
    readonly workspace: Workspace,
    private readonly ports: RuntimePorts,
  ) {
    const dir = ports.stateDir ?? workspaceStateDir(ports.paths, workspace.file)
    this.stateDir = dir
    const clones = new Clones({
      root: join(dir, 'clones'),
      secret: ports.secret,
      clock: ports.clock,
      onProgress: (p) => ports.events.emit('repos.progressed', p),
      onWarning: (message) => ports.logger.warn(message),
      shallowDepth: SHALLOW_FIRST_DEPTH,
    })
    this.repos = new ServiceRepos(workspace, clones, join(dir, 'cache'), {
      backgroundFill: ports.backgroundWork ?? true,
      onFillError: (service, error) =>
        ports.logger.error(
          `Indexing the cherry-picks of ${service} failed; they are indexed again after the next fetch`,
          error,
        ),
    })
    this.lastSeen = new LastSeen(join(dir, 'last-seen.json'))
    this.probes = createProbeRunner({
      workspace,
      secret: ports.secret,
      clock: ports.clock,
      cacheFile: join(dir, 'cache', 'probes.json'),
      ...this.shaPorts(),
      onResult: (result) => ports.events.emit('environments.probed', result),
      ...(ports.fetch ? { fetch: ports.fetch } : {}),
    })
    this.team = new CoordinationRuntime({
      workspace,
      dir,
      secret: ports.secret,
      identity: ports.identity,
      clock: ports.clock,
      events: ports.events,
      notifier: ports.notifier,
      logger: ports.logger,
      ...(ports.fetch ? { fetch: ports.fetch } : {}),
      history: this.ancestry(),
      isOwnRun: (runId) => this.runner.list({}).some((run) => run.id === runId),
      localRun: (runId) => this.runner.list({}).find((run) => run.id === runId),
      where: (query, overrides) => answerWhere(this, ports.clock(), query, undefined, overrides),
    })
    this.runner = new DeployRunner({
      journalFile: join(dir, 'journal.jsonl'),
      workspace,
      providerFor: deployBindings(workspace, ports.secret, ports.fetch),
      history: this.ancestry(),
      // Only an answer given now: a cached one from before the probe failed competes with the journal and GitHub.
      currentSha: async (service, environment) => {
        const result = await this.probes.probe(service, environment)
        return result.error === undefined ? result.sha : undefined
      },
      lastProbed: async (service, environment) => {
        const seen = (await this.probes.cached()).find((r) => r.service === service && r.environment === environment)
        return seen?.sha === undefined ? undefined : { sha: seen.sha, at: seen.asOf }
      },
      ledgerSha: (service, environment) => this.ledgers.lastSuccess(service, environment),
      notifier: ports.notifier,
      events: ports.events,
      clock: ports.clock,
      user: ports.user,
      poll: { initialMs: 1000, maxMs: 5000 },
      gate: this.team.gate,
    })
    this.sets = new SetRunner({
      file: join(dir, 'sets.jsonl'),
      workspace,
      runner: this.runner,
      sourceSha: async (service, environment) => {
        const result = await this.probes.probe(service, environment)
        return result.error === undefined ? result.sha : undefined
      },
      notifier: ports.notifier,
      events: ports.events,
      clock: ports.clock,
      user: ports.user,
      pollMs: 1000,
    })
    this.ledgers = createRecorders(workspace, {
      secret: ports.secret,
      events: ports.events,
      logger: ports.logger,
      ...(ports.fetch ? { fetch: ports.fetch } : {}),
    })
    this.background = new BackgroundFetch({
      clones: {
        fetch: (source, opts) => this.repos.fetch(source.service, opts?.signal),
        isBusy: (s) => clones.isBusy(s),
      },
      sources: () => workspace.services.map((s) => this.repos.source(s.name)),
      intervalMinutes: workspace.settings.fetchIntervalMinutes,
      onFetched: (outcome) =>
        void this.repos
          .status()
          .then((all) =>
            all.filter((s) => s.service === outcome.service).forEach((s) => ports.events.emit('repos.fetched', s)),
          ),
      onError: (service, error) => ports.logger.warn(`background fetch of ${service} failed: ${error.message}`),
    })
  }

  /**
   * Resumes unfinished deploys, clones what is not cloned yet and deepens shallow clones (in the background), and
   * starts the background fetch.
   */
  start(): void {
    this.takeUpRuns()
    // Other processes (CLIs, another window) share the journal: their runs show up here, and a run whose
    // owner died is taken up, without waiting for the workspace to be opened again.
    this.watchJournal = setInterval(() => this.takeUpRuns(), JOURNAL_WATCH_MS)
    this.watchJournal.unref()
    this.background.start()
    this.team.start(this.workspace.settings.fetchIntervalMinutes)
    void this.cloneMissing()
  }

  /**
   * Clones every service that has no clone yet, one after another, recent history first for all of them (so each
   * answers early), then deepens every shallow clone, one interrupted earlier included; progress and failures are
   * reported as events.
   */
  private async cloneMissing(): Promise<void> {
    const missing = (await this.repos.status()).filter((s) => s.state === 'missing')
    this.repos.queue(missing.map((s) => s.service))
    for (const status of missing) await this.step(status.service, (name) => this.repos.open(name))
    const partial = (await this.repos.status()).filter((s) => s.historyLoading)
    for (const status of partial) await this.step(status.service, (name) => this.repos.fetch(name))
  }

  private async step(service: string, work: (service: string) => Promise<unknown>): Promise<void> {
    if (this.closed) return
    try {
      await work(service)
    } catch (error) {
      this.report(error)
    }
    for (const after of (await this.repos.status()).filter((s) => s.service === service))
      this.ports.events.emit('repos.fetched', after)
  }

  /** The newest probe results: fresh when `refresh`, else the last known (cache file included). */
  async probeResults(refresh: boolean): Promise<ProbeResult[]> {
    if (!refresh && this.latest.length === 0) this.latest = await this.probes.cached()
    if (refresh || this.latest.length === 0) this.latest = await this.probes.probeAll()
    this.latest = await this.resolveAgain(this.latest)
    return this.latest
  }

  /** Values read before their clone existed (or before a fetch) are looked up again in the index: no network needed. */
  private async resolveAgain(results: ProbeResult[]): Promise<ProbeResult[]> {
    return Promise.all(
      results.map(async (result) =>
        // Only a clone already made is asked: reading the matrix never starts a clone.
        (await this.repos.indexIfReady(result.service)) ? resolveAgain(result, this.shaPorts()) : result,
      ),
    )
  }

  // How a probe's value becomes a SHA of the clone, for the probe runner and for values read again.
  private shaPorts(): Required<ResolvePorts> {
    return {
      refs: async (service) => branchAliases((await this.repos.index(service)).refs),
      resolveSha: async (service, prefix) => {
        const index = await this.repos.indexIfReady(service)
        const found = index?.resolvePrefix(prefix.toLowerCase()) ?? []
        // Older than the recent history a shallow first clone holds: not yet known, not missing.
        if (found.length === 0 && index?.partial) throw historyLoading(service)
        return found
      },
    }
  }

  /**
   * Logs a background failure without failing the caller. The UI learns of it from the `repos.fetched` status
   * that follows (it carries the error), so no event of its own.
   */
  report(error: unknown): void {
    this.ports.logger.warn(toErrorData(error).message)
  }

  private takeUpRuns(): void {
    try {
      for (const run of this.runner.resume()) this.ports.logger.info(`resumed deploy ${run.id}`)
    } catch (error) {
      this.ports.logger.warn(`reading the deploy journal failed: ${toErrorData(error).message}`)
    }
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.watchJournal)
    this.ledgers.close()
    await this.background.stop()
    await this.repos.close()
    await this.sets.close()
    await this.runner.close()
    await this.sets.drained()
    await this.team.close()
  }

  private ancestry(): AncestryPort {
    return {
      resolve: (service, input) => this.repos.resolve(service, input),
      isAncestor: async (service, a, b) => (await this.repos.index(service)).isAncestor(a, b),
      range: async (service, exclude, include): Promise<CommitSummary[]> => {
        const index = await this.repos.index(service)
        return index.range(exclude, include).flatMap((sha) => summaryOf(index, sha) ?? [])
      },
      unpushed: async (service, sha) => unpushedBranches(await this.repos.index(service), sha),
    }
  }
}
