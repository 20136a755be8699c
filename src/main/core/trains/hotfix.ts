import type { HotfixBranchStatus, HotfixFix, HotfixReach, HotfixWarning } from '../../../shared/models/trains'
import type { Sha } from '../../../shared/models/workspace'
import type { TrainContext } from './context'
import { regionOfHotfixBranch } from './hotfix-branch'
import { refOf } from './model'
import type { Upcoming } from './outlook'
import type { HotfixBranchTip, TrainPorts } from './ports'

/** Whether a fix is in the history of `sha`: the commit itself, the master commit it was picked from, or an equivalent. */
export function fixIsIn(ports: TrainPorts, service: string, fix: Pick<HotfixFix, 'sha' | 'source'>, sha: Sha): boolean {
  if (ports.isAncestor(service, fix.sha, sha)) return true
  if (fix.source !== undefined && ports.isAncestor(service, fix.source.sha, sha)) return true
  return ports.equivalent(service, fix.sha, sha) !== undefined
}

/** The fixes on a hotfix branch: its commits that are not on the default branch, with their master source. */
export function fixesOf(ports: TrainPorts, service: string, tip: Sha, defaultTip: Sha): HotfixFix[] {
  return ports.range(service, defaultTip, tip).map((c) => {
    const fix: HotfixFix = { service, sha: c.sha, subject: c.subject }
    if (c.cherryPickOf !== undefined) fix.source = c.cherryPickOf
    else {
      const same = ports.equivalent(service, c.sha, defaultTip)
      if (same !== undefined) fix.source = { sha: same, via: 'patch-id' }
    }
    return fix
  })
}

/**
 * Tracks each hotfix branch: every fix must reach every region through the train that reaches it next (the
 * board's `upcoming`: a planned train carries what the default branch holds now), and the branch can be deleted
 * once it has fixes, no environment runs it and every region's production carries them all.
 */
export function trackHotfixes(
  ctx: TrainContext,
  upcomingOf: (region: string) => Upcoming | undefined,
): { hotfixes: HotfixBranchStatus[]; warnings: HotfixWarning[] } {
  const { ports, settings } = ctx.input
  const hotfixes: HotfixBranchStatus[] = []
  const warnings: HotfixWarning[] = []
  for (const b of ctx.input.hotfixBranches) {
    const region = regionOfHotfixBranch(settings, b.branch)
    const defaultTip = ctx.tips[b.service]
    if (region === undefined || defaultTip === undefined) continue
    const fixes = fixesOf(ports, b.service, b.tip, defaultTip)
    const reaches: HotfixReach[] = []
    for (const r of ctx.regions) {
      const upcoming = upcomingOf(r.region.name)
      const target = upcoming?.shas[b.service]
      if (upcoming === undefined || target === undefined) continue
      const missing = fixes.filter((f) => !fixIsIn(ports, b.service, f, target))
      const { train, planned } = upcoming
      reaches.push({ region: r.region.name, train: refOf(train), planned, carries: missing.length === 0 })
      for (const f of missing) {
        const where = `(on ${b.branch} of ${b.service})`
        warnings.push({
          kind: 'fix-not-in-next-train',
          service: b.service,
          branch: b.branch,
          fix: f.sha,
          region: r.region.name,
          message: planned
            ? `Fix ${f.sha.slice(0, 7)} "${f.subject}" ${where} is not on ${ctx.input.services.find((s) => s.name === b.service)?.defaultBranch ?? 'the default branch'}: the next train for ${r.region.label} (${train.name}, cut ${train.cutDate}) would not carry it.`
            : `Fix ${f.sha.slice(0, 7)} "${f.subject}" ${where} is not yet in the next train for ${r.region.label} (${train.name}).`,
        })
      }
    }
    const deployedIn = deployedEnvironments(ctx, b, defaultTip)
    const everywhere = ctx.regions.every((r) =>
      r.cells
        .filter((c) => c.service === b.service)
        .every((c) => c.sha !== undefined && fixes.every((f) => fixIsIn(ports, b.service, f, c.sha ?? ''))),
    )
    // A branch just made has nothing to carry yet: it is about to be used, not done with.
    const deletable = fixes.length > 0 && deployedIn.length === 0 && everywhere
    hotfixes.push({
      service: b.service,
      branch: b.branch,
      region,
      tip: b.tip,
      fixes,
      deployedIn,
      missingFrom: reaches.filter((x) => !x.carries).map((x) => x.region),
      reaches,
      deletable,
    })
    if (deletable) {
      warnings.push({
        kind: 'branch-can-be-deleted',
        service: b.service,
        branch: b.branch,
        message: `${b.branch} of ${b.service} can be deleted: every region runs a train with its fixes and no environment runs the branch.`,
      })
    }
  }
  return { hotfixes, warnings }
}

function deployedEnvironments(ctx: TrainContext, b: HotfixBranchTip, defaultTip: Sha): string[] {
  const { ports } = ctx.input
  const envs = new Set<string>()
  for (const r of ctx.input.regions) {
    for (const environment of r.path) {
      const sha = ctx.probes.get(b.service, environment)?.sha
      if (sha === undefined || envs.has(environment)) continue
      if (ports.isAncestor(b.service, sha, b.tip) && !ports.isAncestor(b.service, sha, defaultTip))
        envs.add(environment)
    }
  }
  return [...envs]
}
