import { AppError } from '../../../shared/errors'
import type { HotfixBranchStatus, TrainBoard, TrainPromotionPlan } from '../../../shared/models/trains'
import type { CommandHandlers } from '../cockpit'
import type { CockpitContext } from '../cockpit-context'
import { promotionDraft, trainBoard } from '../trains/board'
import { hotfixBranchName, hotfixBranchOf } from '../trains/hotfix-branch'
import { branchTip } from '../trains/adapters/history-ports'
import { liveTrainSha, openHotfixBranch, pushHotfix } from '../trains/adapters/hotfix-flow'
import { pickOntoBranch } from '../trains/adapters/hotfix-picks'
import { loadTrainInputs, trainSettingsOf } from '../trains/adapters/inputs'
import { planTrainPromotion } from '../trains/adapters/promotion-plan'
import { runTrainPromotion, withoutLocks } from '../trains/adapters/promotion-run'
import { manualCutsFile, recordManualCut } from '../trains/manual-cuts'
import { trainSchedule } from '../trains/schedule'

/** Release trains and the hotfix flow. */
export function trainCommands(
  ctx: CockpitContext,
): Pick<
  CommandHandlers,
  'trains.board' | 'trains.cut' | 'trains.preview' | 'trains.promote' | 'hotfix.create' | 'hotfix.pick' | 'hotfix.push'
> {
  const board = async (): Promise<TrainBoard> => {
    // Fresh probes: the board decides what to promote, so it must not lag a deploy that just ended.
    const { input } = await loadTrainInputs(ctx.runtime(), ctx.clock(), { refresh: true })
    return trainBoard(input)
  }
  const statusOf = async (service: string, branch: string): Promise<HotfixBranchStatus> => {
    const found = (await board()).hotfixes.find((h) => h.service === service && h.branch === branch)
    if (found === undefined)
      throw new AppError('not-found', `${branch} of ${service} is not a hotfix branch of a region that takes trains.`)
    return found
  }
  const plan = async (region: string, trainId: string): Promise<TrainPromotionPlan> => {
    const runtime = ctx.runtime()
    const settings = trainSettingsOf(runtime.workspace)
    const { input } = await loadTrainInputs(runtime, ctx.clock(), { refresh: true })
    const draft = promotionDraft(input, region, trainId)
    const where = runtime.workspace.regions.find((r) => r.name === region)
    const planned =
      where === undefined
        ? undefined
        : await planTrainPromotion(draft, where, runtime.runner, hotfixBranchName(settings, region))
    if (planned === undefined) throw new AppError('not-found', `No train "${trainId}" for ${region}.`)
    return planned
  }
  const changed = (region: string, trainId: string, step: string): void =>
    ctx.events.emit('trains.changed', { region, trainId, step })
  return {
    'trains.board': board,
    'trains.cut': async () => {
      const runtime = ctx.runtime()
      const settings = trainSettingsOf(runtime.workspace)
      const now = ctx.clock()
      const shas: Record<string, string> = {}
      for (const s of runtime.workspace.services) {
        // The cut is what the remote's default branch holds now, not what was last fetched.
        await runtime.repos.fetch(s.name)
        const tip = branchTip(await runtime.repos.index(s.name), s.defaultBranch)
        if (tip !== undefined) shas[s.name] = tip
      }
      const scheduledCut = trainSchedule(settings).nextCut(now).toISOString()
      const cut = { scheduledCut, at: now.toISOString(), by: ctx.user, shas }
      await recordManualCut(manualCutsFile(runtime.stateDir), cut)
      changed(settings.regions[0]?.region ?? '', '', `cut at ${now.toISOString()}`)
      return board()
    },
    'trains.preview': async ({ region, trainId, overrideLock }) => {
      const planned = await plan(region, trainId)
      return overrideLock ? withoutLocks(planned) : planned
    },
    'trains.promote': async ({ region, trainId, overrideLock }) => {
      const planned = await plan(region, trainId)
      const runtime = ctx.runtime()
      // Going over locks is a person's choice with a reason: the locks stop refusing the plan, and every run records it.
      return runTrainPromotion(
        runtime.sets,
        runtime.runner,
        runtime.workspace,
        overrideLock ? withoutLocks(planned) : planned,
        {
          user: ctx.user,
          progress: (step, runId) =>
            ctx.events.emit('trains.changed', { region, trainId, step, ...(runId ? { runId } : {}) }),
          ...(overrideLock ? { overrideLock } : {}),
        },
      )
    },
    'hotfix.create': async ({ service, region, at }) => {
      const runtime = ctx.runtime()
      const branch = hotfixBranchOf(trainSettingsOf(runtime.workspace), region)
      runtime.repos.service(service)
      const requested = at !== undefined && at.trim() !== '' ? await runtime.repos.resolve(service, at) : undefined
      const base = async () => liveTrainSha(await board(), service, region)
      const { tip, created } = await openHotfixBranch(runtime.repos, service, branch, base, requested)
      changed(region, '', `${service}: ${branch} ${created ? 'created' : 'already exists'} at ${tip.slice(0, 7)}`)
      return { ...(await statusOf(service, branch)), created }
    },
    'hotfix.pick': async (request) => {
      const runtime = ctx.runtime()
      runtime.repos.service(request.service)
      const now = ctx.clock()
      const outcome = await pickOntoBranch(runtime.repos, request, {
        name: ctx.user,
        email: `${ctx.user}@trainyard.invalid`,
        now,
      })
      if (!outcome.dryRun) changed('', '', `${request.service}: picked ${outcome.picked.length} onto ${request.branch}`)
      return outcome
    },
    'hotfix.push': async ({ service, branch }) => {
      const runtime = ctx.runtime()
      runtime.repos.service(service)
      const sha = await pushHotfix(runtime.repos, service, branch)
      changed('', '', `${service}: pushed ${branch} at ${sha.slice(0, 7)}`)
      return statusOf(service, branch)
    },
  }
}
