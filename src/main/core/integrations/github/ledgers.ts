import type { DeployRun } from '../../../../shared/models/deploys'
import type { Service, Workspace } from '../../../../shared/models/workspace'
import type { DeployRecorder, RecorderPorts } from '../integration'
import { createLedger, type Ledger, type LedgerReport } from './ledger'
import { clientFor, serviceEndpoint } from './service-endpoint'

const FINAL: Record<string, 'success' | 'failure' | 'error' | undefined> = {
  succeeded: 'success',
  failed: 'failure',
  aborted: 'error',
  unknown: 'error',
}

/**
 * Records every deploy run of a service with a `github:` repository as a GitHub Deployment with statuses
 * (`in_progress`, then `success` / `failure` / `error`, the provider's run URL as `log_url`), so every
 * teammate's cockpit sees every deploy. A GitHub failure never fails or blocks a deploy: the ledger
 * retries and reports, and the run carries the ledger's state.
 */
export class GitHubLedgers implements DeployRecorder {
  private readonly ledgers = new Map<string, Ledger>()
  private readonly started = new Set<string>()
  private readonly ended = new Set<string>()
  private readonly states = new Map<string, NonNullable<DeployRun['ledger']>>()
  private readonly stop: () => void

  constructor(
    private readonly workspace: Workspace,
    private readonly ports: RecorderPorts,
  ) {
    this.stop = ports.events.on('deploys.changed', ({ run }) => this.follow(run))
  }

  /** The run with its GitHub record's state, when the service has one. */
  withLedger(run: DeployRun): DeployRun {
    const state = this.states.get(run.id)
    return state ? { ...run, ledger: state } : run
  }

  close(): void {
    this.stop()
  }

  private follow(run: DeployRun): void {
    const service = this.workspace.services.find((s) => s.name === run.service)
    const ledger = service?.github ? this.ledgerOf(service) : undefined
    if (!service?.github || !ledger) return
    // The deployment is created once the provider has the run (so its URL is known), never before the trigger.
    if (
      !this.started.has(run.id) &&
      ['queued', 'running', ...Object.keys(FINAL)].includes(run.state) &&
      run.state !== 'unknown'
    ) {
      this.started.add(run.id)
      this.states.set(run.id, { state: 'pending' })
      ledger.start(run.id, {
        owner: service.github.owner,
        repo: service.github.repo,
        sha: run.sha,
        environment: run.environment,
        description: `${run.requestedBy} via Trainyard${run.rollback ? ` (rollback: ${run.rollback.reason})` : ''}`,
        ...(run.url ? { logUrl: run.url } : {}),
      })
    }
    const final = FINAL[run.state]
    if (final && this.started.has(run.id) && !this.ended.has(run.id)) {
      this.ended.add(run.id)
      ledger.end(run.id, final, run.url)
    }
  }

  private ledgerOf(service: Service): Ledger | undefined {
    const found = serviceEndpoint(this.workspace.endpoints, service.github?.endpoint)
    const key = found?.name ?? 'github.com'
    const known = this.ledgers.get(key)
    if (known) return known
    const github = clientFor(found?.endpoint, this.ports)
    const ledger = createLedger({ github, logger: this.ports.logger, onReport: (report) => this.report(report) })
    this.ledgers.set(key, ledger)
    return ledger
  }

  private report(report: LedgerReport): void {
    const message = report.message ?? (report.state === 'recorded' ? 'recorded on GitHub' : undefined)
    this.states.set(report.runKey, { state: report.state, ...(message ? { message } : {}) })
    if (report.state === 'failed')
      this.ports.logger.warn(`GitHub Deployments: ${report.message ?? 'a write was given up'}`)
  }
}
