import type { AppErrorData } from '../../../shared/errors'
import { previousEnvironments } from '../../../shared/models/region-paths'
import type { CherryPickOutcome, TrainBoard } from '../../../shared/models/trains'
import type { Region } from '../../../shared/models/workspace'
import { api } from './api'
import { errorOf, short } from './format'
import { PromoteState } from './promote.svelte'

/**
 * The hotfix flow: open the region's hotfix branch at the train it runs, pick fixes from master onto it, push it,
 * then promote its tip through the region's path. Each step reports what it did in words (`done`).
 */
export class HotfixFlowState {
  service = $state('')
  region = $state('')
  picks = $state('')
  /** Where step 1 makes the branch (a commit picked in the graph); empty: at the train the region runs. */
  at = $state('')
  /** Pick merge commits whole, as `git cherry-pick -m 1`. */
  wholeMerges = $state(false)
  /** The local branch tip as the last step left it: what step 4 promotes. */
  tip = $state<string | null>(null)
  pick = $state.raw<CherryPickOutcome | null>(null)
  done = $state<string | null>(null)
  error = $state.raw<AppErrorData | null>(null)
  busy = $state(false)
  environment = $state('')
  /** The promote dialog step 4 opened, on the branch tip. */
  promote = $state.raw<PromoteState | null>(null)

  constructor(private readonly changed: () => void) {}

  /** The hotfix branch of the chosen region, e.g. `us-release`, as the board names it. */
  branchName(board: TrainBoard | null): string {
    return board?.regions.find((r) => r.region === this.region)?.hotfixBranch ?? ''
  }

  /** The environments step 4 can promote to: the region's path after its first environment (dev runs master). */
  targets(regions: readonly Region[]): string[] {
    const path = regions.find((r) => r.name === this.region)?.path ?? []
    return path.slice(1)
  }

  /** Which environment step 4 offers first: the one before production until it runs the branch, then production. */
  suggest(regions: readonly Region[], deployedIn: readonly string[]): void {
    const region = regions.find((r) => r.name === this.region)
    const production = region?.production[0]
    const before = production === undefined ? undefined : previousEnvironments({ regions }, production, this.region)[0]
    this.environment = before !== undefined && !deployedIn.includes(before) ? before : (production ?? '')
  }

  /** Step 1: the branch is made at the train the region runs, or reported as it already is. */
  async open(board: TrainBoard | null): Promise<void> {
    const branch = this.branchName(board)
    await this.step(async () => {
      const status = await api.invoke('hotfix.create', {
        service: this.service,
        region: this.region,
        ...(this.at ? { at: this.at } : {}),
      })
      this.tip = status.tip
      const fixes = status.fixes.length === 1 ? '1 fix' : `${status.fixes.length} fixes`
      this.done = status.created
        ? `Created ${branch} of ${this.service} at ${short(status.tip)}${this.at ? '' : `, the train ${this.region} runs`}.`
        : `${branch} of ${this.service} already exists at ${short(status.tip)} with ${fixes}: pick onto it.`
    })
  }

  /** Step 2: a dry run (nothing written) or the picks themselves. */
  async pickCommits(board: TrainBoard | null, dryRun: boolean): Promise<void> {
    const branch = this.branchName(board)
    const commits = this.picks.split(/[\s,]+/).filter((c) => c !== '')
    await this.step(async () => {
      this.pick = await api.invoke('hotfix.pick', {
        service: this.service,
        branch,
        commits,
        dryRun,
        ...(this.wholeMerges ? { mainline: 1 } : {}),
      })
      this.tip = this.pick.tip
      const n = this.pick.picked.length
      this.done = !this.pick.ok
        ? null
        : dryRun
          ? `${n} commit${n === 1 ? '' : 's'} would be picked cleanly onto ${branch}; nothing was written.`
          : `Picked ${n} commit${n === 1 ? '' : 's'} onto ${branch}: its tip is now ${short(this.pick.tip)}.`
    })
  }

  /** Step 3: pushes the branch with a lease. */
  async push(board: TrainBoard | null): Promise<void> {
    const branch = this.branchName(board)
    await this.step(async () => {
      const status = await api.invoke('hotfix.push', { service: this.service, branch })
      this.tip = status.tip
      this.done = `Pushed ${branch} of ${this.service} at ${short(status.tip)}.`
    })
  }

  /** Step 4: the promote dialog on the branch tip. */
  openPromote(): void {
    if (this.tip === null || this.environment === '') return
    this.promote = new PromoteState(this.service, this.environment, this.tip)
  }

  closePromote(): void {
    this.promote?.stop()
    this.promote = null
    this.changed()
  }

  private async step(work: () => Promise<void>): Promise<void> {
    this.error = null
    this.done = null
    this.busy = true
    try {
      await work()
    } catch (error) {
      this.error = errorOf(error)
    } finally {
      this.busy = false
      this.changed()
    }
  }
}
