import type { PromotePreview } from '../../../shared/models/deploys'
import { api } from './api'
import { isStopped } from '../../../shared/models/deploys'
import { PromoteState } from './promote.svelte'

/** One service of a column promotion: its own promote, and whether it is part of the batch. */
export interface ColumnRow {
  service: string
  promote: PromoteState
  include: boolean
}

/** Whether a preview can go as part of a batch without a person's extra word: forward, no blockers. */
export function goesByDefault(preview: PromotePreview): boolean {
  return (preview.kind === 'forward' || preview.kind === 'first-deploy') && preview.blockers.length === 0
}

/**
 * Promoting every service of one environment at once (the matrix column's "Promote…"): each service previews what
 * the environment before it runs, then the chosen ones deploy one after another, stopping at the first that does not
 * succeed (services often have to go in order).
 */
export class ColumnPromotion {
  rows = $state.raw<ColumnRow[]>([])
  step = $state<'preview' | 'run'>('preview')
  loading = $state(false)
  /** Set when a run did not succeed and the rest were not started. */
  stoppedAt = $state<string | null>(null)
  done = $state(false)

  constructor(
    readonly environment: string,
    targets: { service: string; target: string }[],
  ) {
    this.rows = targets.map((t) => ({
      service: t.service,
      promote: new PromoteState(t.service, environment, t.target),
      include: false,
    }))
  }

  readonly chosen = $derived(this.rows.filter((r) => r.include))

  /** Previews every service; the ones that go forward without a blocker are chosen. */
  async previewAll(): Promise<void> {
    this.loading = true
    await Promise.all(this.rows.map((r) => r.promote.loadPreview()))
    this.rows = this.rows.map((r) => ({
      ...r,
      include: r.promote.preview !== null && goesByDefault(r.promote.preview),
    }))
    this.loading = false
  }

  toggle(service: string, include: boolean): void {
    this.rows = this.rows.map((r) => (r.service === service ? { ...r, include } : r))
  }

  /** Deploys the chosen services in order, each after the one before succeeded. */
  async run(): Promise<void> {
    this.step = 'run'
    for (const row of this.chosen) {
      const state = await this.deploy(row.promote)
      if (state !== 'succeeded') {
        this.stoppedAt = row.service
        break
      }
    }
    this.done = true
  }

  stop(): void {
    this.rows.forEach((r) => r.promote.stop())
  }

  private async deploy(promote: PromoteState): Promise<string> {
    const ended = new Promise<string>((resolve) => {
      const stop = api.on('deploys.changed', ({ run }) => {
        if (run.id === promote.run?.id && isStopped(run.state)) {
          stop()
          resolve(run.state)
        }
      })
    })
    await promote.confirm()
    if (!promote.run) return 'failed'
    if (promote.finished) return promote.run.state
    return ended
  }
}
