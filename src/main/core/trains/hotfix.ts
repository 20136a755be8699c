import type { HotfixBranchStatus, HotfixFix, HotfixWarning } from '../../../shared/models/trains'
import type { Sha } from '../../../shared/models/workspace'
import type { TrainContext } from './context'
import type { HotfixBranchTip, TrainPorts } from './ports'

/** Whether a fix is in the history of `sha`: the commit itself, the master commit it was picked from, or an equivalent. */
export function fixIsIn(ports: TrainPorts, service: string, fix: Pick<HotfixFix, 'sha' | 'source'>, sha: Sha): boolean {
  if (ports.isAncestor(service, fix.sha, sha)) return true
  if (fix.source !== undefined && ports.isAncestor(service, fix.source.sha, sha)) return true
  return ports.equivalent(service, fix.sha, sha) !== undefined
}

/** The region a hotfix branch serves, read through the pattern (e.g. `{region}-release`); undefined when it does not match. */
export function regionOfBranch(pattern: string, branch: string, regions: readonly string[]): string | undefined {
  return regions.find((r) => pattern.replaceAll('{region}', r) === branch)
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
 * Tracks each hotfix branch: a fix must reach every region through that region's next train (or, when it has
 * none, the train it runs), and the branch can be deleted once no environment runs it and every region's
 * production carries all its fixes.
 */
export function trackHotfixes(
  ctx: TrainContext,
  nextTrainOf: (region: string) => { name: string; shas: Record<string, Sha> } | undefined,
): { hotfixes: HotfixBranchStatus[]; warnings: HotfixWarning[] } {
  const { ports, settings } = ctx.input
  const regionNames = ctx.regions.map((r) => r.region.name)
  const hotfixes: HotfixBranchStatus[] = []
  const warnings: HotfixWarning[] = []
  for (const b of ctx.input.hotfixBranches) {
    const region = regionOfBranch(settings.hotfixBranch, b.branch, regionNames)
    const defaultTip = ctx.tips[b.service]
    if (region === undefined || defaultTip === undefined) continue
    const fixes = fixesOf(ports, b.service, b.tip, defaultTip)
    const missingFrom: string[] = []
    for (const r of ctx.regions) {
      const train = nextTrainOf(r.region.name)
      const target = train?.shas[b.service]
      if (train === undefined || target === undefined) continue
      const missing = fixes.filter((f) => !fixIsIn(ports, b.service, f, target))
      if (missing.length > 0) missingFrom.push(r.region.name)
      for (const f of missing) {
        warnings.push({
          kind: 'fix-not-in-next-train',
          service: b.service,
          branch: b.branch,
          fix: f.sha,
          region: r.region.name,
          message: `Fix ${f.sha.slice(0, 7)} "${f.subject}" (on ${b.branch} of ${b.service}) is not yet in the next train for ${r.region.label} (${train.name}).`,
        })
      }
    }
    const deployedIn = deployedEnvironments(ctx, b, defaultTip)
    const everywhere = ctx.regions.every((r) =>
      r.cells
        .filter((c) => c.service === b.service)
        .every((c) => c.sha !== undefined && fixes.every((f) => fixIsIn(ports, b.service, f, c.sha ?? ''))),
    )
    const deletable = deployedIn.length === 0 && everywhere
    hotfixes.push({
      service: b.service,
      branch: b.branch,
      region,
      tip: b.tip,
      fixes,
      deployedIn,
      missingFrom,
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
