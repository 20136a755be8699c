import { join } from 'node:path'
import type { Identity, Watch } from '../../../shared/models/coordination'
import type { DeployRun } from '../../../shared/models/deploys'
import type { ProbeResult } from '../../../shared/models/environments'
import type { Workspace } from '../../../shared/models/workspace'
import { defaultStaleAfterMinutes } from '../../../shared/workspace/defaults'
import { Coordination } from '../coordination/coordination'
import { coordinationGate } from '../coordination/coordination-gate'
import { RunPublisher, type Every } from '../coordination/run-publisher'
import { Watches, type WhereQuery } from '../coordination/watches'
import { Webhooks } from '../coordination/webhooks'
import type { AncestryPort } from '../deploy/guard'
import type { Notifier } from '../deploy/notifier'
import type { PromotionGate } from '../deploy/promotion-gate'
import type { EventHub } from '../events'
import type { Logger } from '../logger'

/** What the team's coordination needs from the workspace runtime around it. */
export interface CoordinationPorts {
  workspace: Workspace
  /** The workspace's state folder. */
  dir: string
  secret: (name: string) => Promise<string | undefined>
  identity: Identity
  clock: () => Date
  events: EventHub
  notifier: Notifier
  logger: Logger
  fetch?: typeof fetch
  history: Pick<AncestryPort, 'isAncestor'>
  isOwnRun: (runId: string) => boolean
  /** A run of this Trainyard's journal. */
  localRun: (runId: string) => DeployRun | undefined
  where: WhereQuery
  /** The timer port of the run heartbeat and the background fetch (tests pass their own). */
  every?: Every
}

/** How long a burst of probe results is gathered before the watches are checked once. */
const WATCH_CHECK_DELAY_MS = 400

/**
 * Everything about the team's shared picture for one open workspace: the coordination records, the promotion gate,
 * the publisher of this Trainyard's runs, the chat webhooks and the local watches, wired to the runtime's events.
 */
export class CoordinationRuntime {
  readonly coordination: Coordination
  readonly gate: PromotionGate
  readonly publisher: RunPublisher
  readonly webhooks: Webhooks
  readonly watches: Watches
  private readonly stops: (() => void)[] = []
  private watchTimer: ReturnType<typeof setTimeout> | undefined
  private readonly probed = new Set<string>()

  constructor(private readonly ports: CoordinationPorts) {
    const { workspace } = ports
    this.coordination = new Coordination({
      workspace,
      dir: join(ports.dir, 'coordination'),
      secret: ports.secret,
      identity: ports.identity,
      clock: ports.clock,
      events: ports.events,
      isOwnRun: ports.isOwnRun,
    })
    this.gate = coordinationGate(this.coordination, workspace, ports.history, ports.clock)
    const staleMs = (workspace.coordination?.staleAfterMinutes ?? defaultStaleAfterMinutes) * 60_000
    this.publisher = new RunPublisher(this.coordination, ports.logger, {
      share: workspace.coordination !== undefined,
      // Three refreshes per stale period: one lost push does not make a live run look stale.
      heartbeatMs: Math.max(1000, Math.floor(staleMs / 3)),
      localRun: ports.localRun,
      ...(ports.every ? { every: ports.every } : {}),
    })
    this.webhooks = new Webhooks({
      workspace,
      secret: ports.secret,
      logger: ports.logger,
      clock: ports.clock,
      ...(ports.fetch ? { fetch: ports.fetch } : {}),
    })
    this.watches = new Watches({
      file: join(ports.dir, 'watches.json'),
      clock: ports.clock,
      where: ports.where,
      fired: (watch) => this.fired(watch),
    })
  }

  /** Follows the runtime's events, starts the heartbeat and the background fetch, and fetches once now. */
  start(intervalMinutes: number): void {
    const { events } = this.ports
    this.stops.push(
      events.on('deploys.changed', ({ run }) => this.runChanged(run)),
      events.on('environments.probed', (result) => this.probedOne(result)),
      events.on('coordination.changed', (state) => this.ports.notifier.others?.(state.runs.filter((r) => !r.mine))),
    )
    this.publisher.start()
    if (this.ports.workspace.coordination && intervalMinutes > 0) {
      const every = this.ports.every ?? defaultEvery
      this.stops.push(every(() => void this.coordination.fetch(), intervalMinutes * 60_000))
    }
    void this.coordination.fetch()
  }

  /** Stops following events and timers; waits for the writes and posts under way. */
  async close(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop()
    clearTimeout(this.watchTimer)
    await this.publisher.stop()
    await this.webhooks.idle()
  }

  private runChanged(run: DeployRun): void {
    this.publisher.changed(run)
    this.webhooks.runChanged(run)
    if (run.state === 'succeeded') {
      // The run is the evidence: the probe may not have read the new version yet.
      const shown: ProbeResult = {
        service: run.service,
        environment: run.environment,
        sha: run.sha,
        asOf: run.endedAt ?? this.ports.clock().toISOString(),
        cached: false,
      }
      void this.watches.check(run.environment, [shown]).catch(() => undefined)
    }
  }

  private probedOne(result: ProbeResult): void {
    if (!result.sha) return
    this.probed.add(result.environment)
    clearTimeout(this.watchTimer)
    this.watchTimer = setTimeout(() => {
      const environments = [...this.probed]
      this.probed.clear()
      void (async () => {
        for (const environment of environments) await this.watches.check(environment).catch(() => undefined)
      })()
    }, WATCH_CHECK_DELAY_MS)
  }

  private fired(watch: Watch): void {
    const how = watch.fired?.via ? ` as a cherry-pick (${watch.fired.via})` : ''
    const notice = {
      title: `${watch.query} reached ${watch.environment}`,
      body: `${watch.fired?.service ?? ''} runs ${watch.fired?.sha.slice(0, 7) ?? ''} there${how}.`,
      kind: 'info' as const,
    }
    this.ports.notifier.notice?.(notice)
    this.ports.events.emit('watches.fired', watch)
  }
}

const defaultEvery: Every = (run, everyMs) => {
  const handle = setInterval(run, everyMs)
  handle.unref()
  return () => clearInterval(handle)
}
