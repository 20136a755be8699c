import type { Lock } from '../../../shared/models/coordination'
import type { DeployRun } from '../../../shared/models/deploys'
import type { Webhook, WebhookEvent, Workspace } from '../../../shared/models/workspace'
import type { Logger } from '../logger'
import { whoText } from './identity'
import { scopeText } from './locks'

/** What a `json` webhook receives (a `slack` one gets `{ text }` with the same sentence). */
export interface WebhookPayload {
  event: WebhookEvent
  workspace: string
  text: string
  at: string
  by: string
  service?: string
  environment?: string
  sha?: string
  runId?: string
  /** The run in the provider. */
  url?: string
  reason?: string
  lock?: { id: string; scope: string; expiresAt?: string; link?: string }
}

/** What posting needs: the webhooks, the keychain, a logger that is never given a URL, the HTTP client. */
export interface WebhookOptions {
  workspace: Workspace
  secret: (name: string) => Promise<string | undefined>
  logger: Logger
  clock: () => Date
  fetch?: typeof fetch
  /** A webhook silent for this long is given up on. Default 5 s. */
  timeoutMs?: number
}

/** Posts beyond this many at once are dropped (and logged): a dead chat server must not pile up work. */
const MAX_IN_FLIGHT = 50

/**
 * Posts deploy and lock events to the workspace's chat webhooks. Fire and forget: a post never delays or fails what
 * caused it, a slow webhook is cut after `timeoutMs`, a failure is logged by the webhook's name and HTTP status only.
 * The URL is read from the keychain at each post and never written anywhere (log, journal, error message).
 */
export class Webhooks {
  private readonly inFlight = new Set<Promise<void>>()
  private readonly told = new Set<string>()

  constructor(private readonly options: WebhookOptions) {}

  /** Tells the webhooks about a change of a run of this Trainyard: started, then succeeded, failed or rolled back. */
  runChanged(run: DeployRun): void {
    const event = eventOf(run)
    if (!event || this.told.has(`${run.id} ${event}`)) return
    this.told.add(`${run.id} ${event}`)
    const short = run.sha.slice(0, 7)
    const what = `${run.service} ${short} to ${run.environment}`
    const text = {
      started: `${run.requestedBy} started deploying ${what}`,
      succeeded: `${run.requestedBy} deployed ${what}`,
      failed: `The deploy of ${what} by ${run.requestedBy} ended ${run.state}${run.detail ? ` (${run.detail})` : ''}`,
      'rolled-back': `${run.requestedBy} rolled ${run.service} back to ${short} in ${run.environment}: ${run.rollback?.reason ?? ''}`,
    }[event]
    this.post({
      event,
      workspace: this.options.workspace.name,
      text: `${text}${run.url ? ` ${run.url}` : ''}`,
      at: this.options.clock().toISOString(),
      by: run.requestedBy,
      service: run.service,
      environment: run.environment,
      sha: run.sha,
      runId: run.id,
      ...(run.url === undefined ? {} : { url: run.url }),
      ...(run.rollback ? { reason: run.rollback.reason } : {}),
    })
  }

  /** Tells the webhooks a lock was set or lifted. */
  lockChanged(lock: Lock, event: 'locked' | 'unlocked'): void {
    const who = event === 'locked' ? lock.by : (lock.lifted?.by ?? lock.by)
    const scope = scopeText(lock.scope)
    this.post({
      event,
      workspace: this.options.workspace.name,
      text:
        event === 'locked'
          ? `${who.name} locked ${scope}: ${lock.reason}${lock.expiresAt ? ` (until ${lock.expiresAt})` : ''}${lock.link ? ` ${lock.link}` : ''}`
          : `${who.name} lifted the lock on ${scope} (${lock.reason})`,
      at: this.options.clock().toISOString(),
      by: whoText(who),
      reason: lock.reason,
      lock: {
        id: lock.id,
        scope,
        ...(lock.expiresAt === undefined ? {} : { expiresAt: lock.expiresAt }),
        ...(lock.link === undefined ? {} : { link: lock.link }),
      },
    })
  }

  /** Resolves once every post under way has ended (tests, and closing the workspace). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight])
  }

  private post(payload: WebhookPayload): void {
    for (const webhook of this.options.workspace.webhooks ?? []) {
      if (!webhook.events.includes(payload.event)) continue
      if (this.inFlight.size >= MAX_IN_FLIGHT) {
        this.options.logger.warn(`webhook ${webhook.name}: too many posts under way; ${payload.event} not sent`)
        continue
      }
      const sending = this.send(webhook, payload).finally(() => this.inFlight.delete(sending))
      this.inFlight.add(sending)
    }
  }

  private async send(webhook: Webhook, payload: WebhookPayload): Promise<void> {
    const { logger } = this.options
    try {
      const url = await this.options.secret(webhook.credential)
      if (url === undefined || url === '') {
        logger.warn(`webhook ${webhook.name}: credential ${webhook.credential} is not set; nothing sent`)
        return
      }
      const body = webhook.format === 'slack' ? { text: payload.text } : payload
      const response = await (this.options.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        // A redirect could lead the post anywhere: a webhook URL is exact.
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      })
      await response.body?.cancel()
      if (!response.ok) logger.warn(`webhook ${webhook.name}: answered HTTP ${response.status} to ${payload.event}`)
    } catch (error) {
      // Never the error's text: a client error may quote the URL, which is the secret.
      const name = error instanceof Error ? error.name : ''
      const why = name === 'TimeoutError' || name === 'AbortError' ? 'timed out' : 'could not be reached'
      logger.warn(`webhook ${webhook.name}: ${why} for ${payload.event}`)
    }
  }
}

type RunEvent = Extract<WebhookEvent, 'started' | 'succeeded' | 'failed' | 'rolled-back'>

function eventOf(run: DeployRun): RunEvent | undefined {
  switch (run.state) {
    case 'pending':
    case 'triggering':
      return undefined
    case 'queued':
    case 'running':
      return 'started'
    case 'succeeded':
      return run.rollback ? 'rolled-back' : 'succeeded'
    case 'failed':
    case 'aborted':
    case 'unknown':
      return 'failed'
    default: {
      const never: never = run.state
      return never
    }
  }
}
