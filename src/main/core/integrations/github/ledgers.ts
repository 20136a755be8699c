import { toErrorData } from '../../../../shared/errors'
import { isFinal, type DeployRun, type DeployState } from '../../../../shared/models/deploys'
import type { Service, Sha, Workspace } from '../../../../shared/models/workspace'
import type { DeployRecorder, RecorderPorts } from '../integration'
import { createLedger, type Ledger, type LedgerReport } from './ledger'
import type { DeployEndState } from './models'
import { clientFor, serviceEndpoint } from './service-endpoint'

/** The status that ends a run's GitHub deployment; only a final run ends it (an `unknown` one may still be settled either way). */
function endStateOf(state: DeployState): DeployEndState | undefined {
  if (!isFinal(state)) return undefined
  return state === 'succeeded' ? 'success' : state === 'failed' ? 'failure' : 'error'
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
    // Only the process that runs a deploy records it: another process's runs reach this one as `remote`.
    this.stop = ports.events.on('deploys.changed', ({ run, remote }) => {
      if (remote !== true) this.follow(run)
    })
  }

  /** The run with its GitHub record's state, when the service has one. */
  withLedger(run: DeployRun): DeployRun {
    const state = this.states.get(run.id)
    return state ? { ...run, ledger: state } : run
  }

  /** The SHA of the newest successful GitHub deployment of a service to an environment, and when it was made; undefined when there is none or GitHub cannot be asked. */
  async lastSuccess(service: string, environment: string): Promise<{ sha: Sha; at: string } | undefined> {
    const found = this.workspace.services.find((s) => s.name === service)
    if (!found?.github) return undefined
    const { owner, repo } = found.github
    const endpoint = serviceEndpoint(this.workspace.endpoints, found.github.endpoint)?.endpoint
    try {
      const live = await clientFor(endpoint, this.ports).liveDeployment(owner, repo, environment)
      return live ? { sha: live.sha, at: live.createdAt } : undefined
    } catch (error) {
      this.ports.logger.warn(
        `GitHub Deployments: could not read ${owner}/${repo} in ${environment}: ${toErrorData(error).message}`,
      )
      return undefined
    }
  }

  close(): void {
    this.stop()
  }

  private follow(run: DeployRun): void {
    const service = this.workspace.services.find((s) => s.name === run.service)
    const ledger = service?.github ? this.ledgerOf(service) : undefined
    if (!service?.github || !ledger) return
    // The deployment is created once the provider has the run (so its URL is known), never before the trigger.
    if (!this.started.has(run.id) && (run.state === 'queued' || run.state === 'running' || isFinal(run.state))) {
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
    const final = endStateOf(run.state)
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
