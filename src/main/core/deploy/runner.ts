import { setMaxListeners } from 'node:events'
import { dirname, join } from 'node:path'
import { AppError, toErrorData } from '../../../shared/errors'
import type { DeployRun, PromotePreview, PromoteRequest } from '../../../shared/models/deploys'
import type { Sha, Workspace } from '../../../shared/models/workspace'
import { fillJob } from '../integrations/registry'
import { fillTemplate } from '../workspace/templates'
import type { EventSink } from '../events'
import type { PollSettings } from './backoff'
import { assessPromotion, refuseIfBlocked, type AncestryPort, type PromotionAssessment } from './guard'
import { DeployJournal, isFinal, type JournalRecord } from './journal'
import type { Notifier } from './notifier'
import { buildPreview } from './preview'
import type { DeployProvider, ProviderDeployRequest } from './provider'
import { newRunId } from './run-ids'
import { RunLogs } from './run-logs'
import { RunPoller } from './run-poller'
import { activityOf, activeBlocker, blocksKey, keyOf, listRuns, type RunFilter } from './run-queries'

/** The provider and filled-in job that deploy one service to one environment. */
export interface ProviderBinding {
  provider: DeployProvider
  request: Omit<ProviderDeployRequest, 'sha'>
}

/** Points in a promote where a test may stop the process: after the guard, after the `triggering` line, after the trigger answered, after each poll. */
export type RunnerStep = 'guarded' | 'journaled' | 'triggered' | 'polled'

/** Everything the runner works with, all passed in. */
export interface DeployRunnerOptions {
  /** The journal's JSON-lines file; run logs go to `deploy-logs/` beside it. */
  journalFile: string
  workspace: Workspace
  providerFor: (service: string, environment: string) => ProviderBinding | undefined
  history: AncestryPort
  /** What an environment runs now (a probe); undefined when unknown. */
  currentSha: (service: string, environment: string) => Promise<Sha | undefined>
  notifier: Notifier
  events: EventSink
  clock: () => Date
  /** Who asks when a request does not say. */
  user: string
  poll: PollSettings
  /** Test hook, called at each step of a promote. */
  onStep?: (step: RunnerStep, run: DeployRun) => void
}

/** The request a provider gets: the job's `{sha}` (and any `{service}`/`{environment}` left) filled in. */
export function deployRequest(binding: ProviderBinding, sha: Sha): ProviderDeployRequest {
  const { service, environment, job } = binding.request
  const vars = { service, environment, sha }
  return { service, environment, sha, job: fillJob(job, (text) => fillTemplate(text, vars)) }
}

/** Trigger errors that prove the provider refused: nothing was started, so the run failed. Others leave it unknown. */
const REFUSALS = new Set([
  'auth-failed',
  'forbidden',
  'not-found',
  'deploy-conflict',
  'invalid-input',
  'invalid-workspace',
  'credential-missing',
  'unsupported',
  'deploy-failed',
])

/**
 * Runs promotes: guard, journal, one trigger, then polling and log tailing until the provider says the
 * run is final. A trigger is sent at most once per run, whatever happens: a run whose trigger may or
 * may not have reached the provider becomes `unknown` until a person settles it with `resolve`.
 * One run at a time per service × environment.
 */
export class DeployRunner {
  private readonly journal: DeployJournal
  private readonly logs: RunLogs
  private readonly claimed = new Set<string>()
  private readonly pollers = new Map<
    string,
    { poller: RunPoller; binding: ProviderBinding; ended: Promise<DeployRun> }
  >()
  private readonly stop = new AbortController()

  constructor(private readonly options: DeployRunnerOptions) {
    this.journal = DeployJournal.open(options.journalFile)
    this.logs = new RunLogs(join(dirname(options.journalFile), 'deploy-logs'))
    // Every poller's pause listens on this signal: many runs at once are expected, not a leak.
    setMaxListeners(0, this.stop.signal)
  }

  /** What replaying the journal had to skip (a torn last line after a crash). */
  get journalNotes(): readonly string[] {
    return this.journal.notes
  }

  /** Picks up every unfinished run from the journal: polls triggered ones, marks half-triggered ones `unknown`. */
  resume(): DeployRun[] {
    const resumed: DeployRun[] = []
    for (const record of this.journal.all()) {
      const { run } = record
      if (isFinal(run.state) || this.pollers.has(run.id)) continue
      this.claimed.add(keyOf(run))
      const binding = this.options.providerFor(run.service, run.environment)
      if (run.state === 'unknown') continue
      if (record.ref && binding) this.follow(record, binding)
      else if (record.triggering) {
        const why = binding
          ? 'Trainyard stopped before learning whether the trigger reached the provider'
          : 'the workspace no longer has a deploy job for it'
        this.journal.append(
          {
            kind: 'changed',
            runId: run.id,
            change: { state: 'unknown', detail: `${why}: check the provider, then settle this run` },
          },
          this.now(),
        )
        this.changed(run)
      } else {
        this.journal.append(
          {
            kind: 'ended',
            runId: run.id,
            change: {
              state: 'failed',
              endedAt: this.now().toISOString(),
              error: {
                code: 'cancelled',
                message: 'Trainyard stopped before triggering this deploy; nothing was sent.',
              },
            },
          },
          this.now(),
        )
        this.claimed.delete(keyOf(run))
        this.changed(run)
      }
      resumed.push({ ...run })
    }
    this.reportActivity()
    return resumed
  }

  /** What a promote would do and what would refuse it, without doing it. */
  async preview(request: PromoteRequest): Promise<PromotePreview> {
    this.bindingOf(request)
    const sha = await this.options.history.resolve(request.service, request.target)
    const currentSha = await this.options.currentSha(request.service, request.environment)
    const assessment = await this.assess(request, sha, currentSha)
    const busy = activeBlocker(this.journal.all(), request.service, request.environment)
    const preview = {
      service: request.service,
      environment: request.environment,
      sha,
      assessment,
      runs: this.runs(),
      extraBlockers: busy ? [busy] : [],
    }
    return buildPreview(currentSha === undefined ? preview : { ...preview, currentSha })
  }

  /**
   * Starts a promote and resolves once the provider answered the trigger (or refused it, or the
   * answer was lost: then the run is `failed` or `unknown`). Throws AppError when the guard refuses,
   * another run of this service × environment is active (`deploy-conflict`), or the provider reports
   * the job already running for this environment.
   */
  async start(request: PromoteRequest): Promise<DeployRun> {
    const key = keyOf(request)
    if (this.claimed.has(key)) throw blocksKey(this.journal.all(), request)
    this.claimed.add(key)
    let run: DeployRun
    let binding: ProviderBinding
    let providerRequest: ProviderDeployRequest
    try {
      binding = this.bindingOf(request)
      const sha = await this.options.history.resolve(request.service, request.target)
      const currentSha = await this.options.currentSha(request.service, request.environment)
      const assessment = await this.assess(request, sha, currentSha)
      refuseIfBlocked(assessment)
      if ((await binding.provider.running(binding.request)).length > 0) {
        throw new AppError(
          'deploy-conflict',
          `A deploy of ${request.service} to ${request.environment} is already running in ${binding.request.job.provider}; wait for it to finish.`,
        )
      }
      // Filled now, so a bad template refuses the promote before anything is journaled or sent.
      providerRequest = deployRequest(binding, sha)
      run = this.newRun(request, sha, currentSha, assessment, binding)
    } catch (error) {
      this.claimed.delete(key)
      throw error
    }
    this.options.onStep?.('guarded', run)
    this.journal.append({ kind: 'requested', run }, this.now())
    const record = this.journal.append({ kind: 'triggering', runId: run.id }, this.now())
    this.changed(record.run)
    this.options.onStep?.('journaled', record.run)
    try {
      const ref = await binding.provider.trigger(providerRequest)
      this.options.onStep?.('triggered', record.run)
      this.journal.append(
        {
          kind: 'triggered',
          runId: run.id,
          ref,
          change: ref.url ? { state: 'queued', url: ref.url } : { state: 'queued' },
        },
        this.now(),
      )
    } catch (error) {
      this.triggerFailed(record, error)
      return { ...record.run }
    }
    this.changed(record.run)
    this.follow(record, binding)
    this.reportActivity()
    return { ...record.run }
  }

  /** Asks the provider to abort a run and resolves with the run once the provider reports it final. */
  async abort(runId: string): Promise<DeployRun> {
    const record = this.recordOf(runId)
    if (isFinal(record.run.state)) return { ...record.run }
    const following = this.pollers.get(runId)
    if (!record.ref || !following) {
      throw new AppError(
        'deploy-conflict',
        `Run ${runId} is ${record.run.state}: Trainyard cannot abort it; check the provider.`,
      )
    }
    this.journal.append({ kind: 'abort-requested', runId, by: this.options.user }, this.now())
    await following.binding.provider.abort(record.ref)
    following.poller.wake()
    return following.ended
  }

  /** Settles an `unknown` run by a person's word after checking the provider. */
  resolve(runId: string, state: 'succeeded' | 'failed', note: string): DeployRun {
    const record = this.recordOf(runId)
    if (record.run.state !== 'unknown')
      throw new AppError(
        'invalid-input',
        `Run ${runId} is ${record.run.state}; only an unknown run can be settled by hand.`,
      )
    if (note.trim() === '')
      throw new AppError('invalid-input', 'Say how you know: the note is recorded in the deploy journal.')
    this.journal.append({ kind: 'resolved', runId, state, note, by: this.options.user }, this.now())
    this.claimed.delete(keyOf(record.run))
    this.changed(record.run)
    this.reportActivity()
    return { ...record.run }
  }

  /** Runs in the journal, newest first. */
  list(filter: RunFilter = {}): DeployRun[] {
    return listRuns(this.journal.all(), filter)
  }

  /** One run and its log. */
  get(runId: string): { run: DeployRun; log: string[] } {
    return { run: { ...this.recordOf(runId).run }, log: [...this.logs.lines(runId)] }
  }

  /** Resolves with the run once it is final (or as it stands when the runner closes). */
  async waitForEnd(runId: string): Promise<DeployRun> {
    return this.pollers.get(runId)?.ended ?? { ...this.recordOf(runId).run }
  }

  /** Stops polling (runs stay unfinished in the journal, for `resume`) and closes the journal. */
  async close(): Promise<void> {
    this.stop.abort()
    await Promise.all([...this.pollers.values()].map((p) => p.ended))
    this.journal.close()
  }

  private follow(record: JournalRecord, binding: ProviderBinding): void {
    const { run } = record
    const onPolled = this.options.onStep ? (r: DeployRun) => this.options.onStep?.('polled', r) : undefined
    const poller = new RunPoller(
      {
        provider: binding.provider,
        journal: this.journal,
        logs: this.logs,
        events: this.options.events,
        clock: this.options.clock,
        poll: this.options.poll,
        signal: this.stop.signal,
        ...(onPolled ? { onPolled } : {}),
      },
      record,
    )
    const ended = poller.done.then((final) => {
      this.pollers.delete(run.id)
      if (final.state === 'unknown') this.reportActivity()
      if (!isFinal(final.state)) return final
      this.claimed.delete(keyOf(final))
      this.logs.forget(run.id)
      this.options.notifier.runEnded(final)
      this.reportActivity()
      return final
    })
    this.pollers.set(run.id, { poller, binding, ended })
  }

  private triggerFailed(record: JournalRecord, error: unknown): void {
    const data = toErrorData(error)
    const runId = record.run.id
    if (REFUSALS.has(data.code)) {
      this.journal.append(
        { kind: 'ended', runId, change: { state: 'failed', endedAt: this.now().toISOString(), error: data } },
        this.now(),
      )
      this.claimed.delete(keyOf(record.run))
      this.changed(record.run)
      this.options.notifier.runEnded({ ...record.run })
    } else {
      const detail = 'the trigger got no clear answer from the provider: check it, then settle this run'
      this.journal.append({ kind: 'changed', runId, change: { state: 'unknown', detail, error: data } }, this.now())
      this.changed(record.run)
    }
    this.reportActivity()
  }

  private newRun(
    request: PromoteRequest,
    sha: Sha,
    currentSha: Sha | undefined,
    assessment: PromotionAssessment,
    binding: ProviderBinding,
  ): DeployRun {
    const now = this.now()
    const run: DeployRun = {
      id: newRunId(now),
      service: request.service,
      environment: request.environment,
      sha,
      provider: binding.request.job.provider,
      state: 'pending',
      requestedBy: request.requestedBy ?? this.options.user,
      requestedAt: now.toISOString(),
    }
    if (currentSha !== undefined) run.previousSha = currentSha
    // A reason given with a forward move is not a rollback and is not recorded as one.
    if (assessment.kind === 'rollback' && request.rollback) run.rollback = { reason: request.rollback.reason }
    return run
  }

  private assess(request: PromoteRequest, sha: Sha, currentSha: Sha | undefined): Promise<PromotionAssessment> {
    const evidence = {
      succeededShas: (service: string, environment: string) =>
        this.runs()
          .filter((r) => r.service === service && r.environment === environment && r.state === 'succeeded')
          .map((r) => r.sha),
      currentSha: this.options.currentSha,
    }
    const question = {
      service: request.service,
      environment: request.environment,
      sha,
      ...(currentSha === undefined ? {} : { currentSha }),
      ...(request.rollback ? { rollback: request.rollback } : {}),
    }
    return assessPromotion(this.options.history, this.options.workspace, evidence, question)
  }

  private bindingOf(request: PromoteRequest): ProviderBinding {
    const { workspace } = this.options
    if (!workspace.services.some((s) => s.name === request.service))
      throw new AppError('not-found', `There is no service "${request.service}" in ${workspace.name}.`)
    if (!workspace.environments.some((e) => e.name === request.environment))
      throw new AppError('not-found', `There is no environment "${request.environment}" in ${workspace.name}.`)
    const binding = this.options.providerFor(request.service, request.environment)
    if (!binding)
      throw new AppError(
        'not-found',
        `${request.service} has no deploy job for ${request.environment}; add one to the workspace file.`,
      )
    return binding
  }

  private recordOf(runId: string): JournalRecord {
    const record = this.journal.get(runId)
    if (!record) throw new AppError('not-found', `There is no deploy run ${runId}.`)
    return record
  }

  private runs(): DeployRun[] {
    return this.journal.all().map((r) => r.run)
  }

  private changed(run: DeployRun): void {
    this.options.events.emit('deploys.changed', { run: { ...run } })
  }

  private reportActivity(): void {
    this.options.notifier.activity(activityOf(this.runs()))
  }

  private now(): Date {
    return this.options.clock()
  }
}
