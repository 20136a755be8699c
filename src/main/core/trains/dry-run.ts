import type { PromoteStep, ServiceDelta, Train, TrainDryRun, TrainSkip } from '../../../shared/models/trains'
import type { Sha } from '../../../shared/models/workspace'
import { orderedServices, type TrainContext } from './context'
import { fixIsIn } from './hotfix'
import { refOf } from './model'
import type { RegionRuns } from './state'

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

const SKIP_WORDS: Record<TrainSkip['reason'], string> = {
  'hotfix-live': 'hotfix branch live',
  'not-descendant': 'not a descendant of what runs there',
  'up-to-date': 'already runs it',
  'not-in-train': 'not in the train',
}

/** How an environment's move from `current` to a train's `target` stands: see `trainMove`. */
export type TrainMove = 'forward' | 'leaves-hotfix' | 'hotfix-live' | 'not-descendant'

/**
 * Whether an environment running `current` can take a train's `target`: forward when the target descends from it;
 * from a hotfix whose fixes the train carries (picked sources or equivalents) and whose base train the target
 * descends from, it leaves the hotfix (a rollback the guard must accept, with a reason); a hotfix the train lacks
 * stays live; anything else is not a descendant.
 */
export function trainMove(ctx: TrainContext, service: string, current: Sha, target: Sha): TrainMove {
  const { ports } = ctx.input
  const placement = ctx.placer.place(service, current)
  if (placement?.kind === 'hotfix') {
    const fixes = ports.range(service, placement.base, current).map((c) => ({ sha: c.sha, source: c.cherryPickOf }))
    if (!fixes.every((f) => fixIsIn(ports, service, f, target))) return 'hotfix-live'
    if (!ports.isAncestor(service, placement.base, target)) return 'not-descendant'
    return ports.isAncestor(service, current, target) ? 'forward' : 'leaves-hotfix'
  }
  return ports.isAncestor(service, current, target) ? 'forward' : 'not-descendant'
}

/**
 * What promoting `train` to a region's production would do, service by service in the promote order.
 * A service is skipped when its production runs a hotfix whose fixes the train does not carry yet, or when
 * the train's SHA does not descend from what runs there (the promote guard would refuse it). A hotfix whose
 * fixes the train carries is left (`leavesHotfix`) when the train descends from the hotfix's base train.
 */
export function trainDryRun(ctx: TrainContext, runs: RegionRuns, train: Train | undefined): TrainDryRun {
  const region = runs.region
  if (train === undefined) {
    return { region: region.name, summary: `${region.label} has no train to take.`, ships: [], skips: [], steps: [] }
  }
  const { ports } = ctx.input
  const ships: ServiceDelta[] = []
  const skips: TrainSkip[] = []
  const steps: PromoteStep[] = []
  for (const service of orderedServices(ctx)) {
    const target = train.shas[service]
    const cells = runs.cells.filter((c) => c.service === service)
    if (cells.length === 0) continue
    if (target === undefined) {
      skips.push({ service, reason: 'not-in-train', message: `${service}: ${SKIP_WORDS['not-in-train']}` })
      continue
    }
    let shipped: ServiceDelta | undefined
    let skipped: TrainSkip['reason'] | undefined
    for (const cell of cells) {
      const current = cell.sha
      if (current === target) {
        skipped ??= 'up-to-date'
        continue
      }
      const move = current === undefined ? 'forward' : trainMove(ctx, service, current, target)
      if (move === 'hotfix-live' || move === 'not-descendant') {
        skipped = move
        continue
      }
      const leavesHotfix = move === 'leaves-hotfix'
      const step: PromoteStep = { service, environment: cell.environment, sha: target }
      if (leavesHotfix) step.leavesHotfix = true
      steps.push(step)
      const delta: ServiceDelta = {
        service,
        to: target,
        commits: current === undefined ? [] : ports.range(service, current, target),
      }
      if (current !== undefined) delta.from = current
      shipped ??= delta
    }
    if (shipped !== undefined) ships.push(shipped)
    else if (skipped !== undefined)
      skips.push({ service, reason: skipped, message: `${service}: ${SKIP_WORDS[skipped]}` })
  }
  return {
    region: region.name,
    train: refOf(train),
    summary: summarize(region.label, train.name, ships, skips),
    ships,
    skips,
    steps,
  }
}

function summarize(label: string, name: string, ships: ServiceDelta[], skips: TrainSkip[]): string {
  const refused = skips.filter((s) => s.reason !== 'up-to-date')
  const skipText =
    refused.length === 0 ? '' : `; skips ${refused.map((s) => `\`${s.service}\`: ${SKIP_WORDS[s.reason]}`).join(', ')}`
  if (ships.length === 0) return `${label} would receive nothing of ${name}${skipText}`
  const commits = ships.reduce((n, s) => n + s.commits.length, 0)
  return `${label} would receive ${name}: ${plural(commits, 'commit')} in ${plural(ships.length, 'service')}${skipText}`
}
