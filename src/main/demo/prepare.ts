import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TrainSettings } from '../../shared/models/workspace'
import { DeployJournal } from '../core/deploy/journal'
import { trainName } from '../core/trains/names'
import { trainSchedule } from '../core/trains/schedule'
import { seedCoordination } from './coordination-seed'
import { DEMO_ENVIRONMENTS, DEMO_SERVICES, DEMO_TRAINS, type DemoDeploy, type DemoFacts } from './facts'
import { DEMO_PEOPLE, shaAt, writeServiceHistory, type DemoServiceHistory } from './history'

const HOUR = 3_600_000
const WEEKS = 26

/** The demo's train settings as the core's model. */
export function demoTrainSettings(): TrainSettings {
  return {
    ...DEMO_TRAINS,
    cut: { ...DEMO_TRAINS.cut },
    deploy: { ...DEMO_TRAINS.deploy },
    names: [...DEMO_TRAINS.names],
    anchor: { ...DEMO_TRAINS.anchor },
    regions: [
      { region: 'uk', lag: 0 },
      { region: 'us', lag: 1 },
    ],
    hotfixBranch: '{region}-release',
    serviceOrder: [...DEMO_SERVICES],
  }
}

/**
 * Makes the demo's repositories and history in `dir` (once; `reset` starts again): six months of weekly
 * trains per service, the UK on the newest train, the US a train behind and mid-seasoning, `billing` with a
 * live `us-release` hotfix, and the environments before production drifting ahead (checkout's last staging deploy failed).
 */
export async function prepareDemo(dir: string, now: Date, reset = false): Promise<DemoFacts> {
  const factsFile = join(dir, 'facts.json')
  if (!reset && existsSync(factsFile)) {
    try {
      return JSON.parse(readFileSync(factsFile, 'utf8')) as DemoFacts
    } catch {
      // Unreadable facts: make the demo again.
    }
  }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'origin'), { recursive: true })
  const settings = demoTrainSettings()
  const schedule = trainSchedule(settings)
  // The UK runs the newest train whose deploy slot has passed; the US the one before.
  let ukWeek = schedule.weekAt(now)
  if (schedule.deployAfter(schedule.cutOf(ukWeek)).getTime() > now.getTime()) ukWeek -= 1
  const usWeek = ukWeek - 1
  const ukDeploy = schedule.deployAfter(schedule.cutOf(ukWeek))
  const fixAt = new Date(Math.max(ukDeploy.getTime() + 26 * HOUR, now.getTime() - 30 * HOUR))
  const histories = await Promise.all(
    DEMO_SERVICES.map((service) =>
      writeServiceHistory({
        root: join(dir, 'origin'),
        service,
        schedule,
        names: (week) => trainName(settings, week),
        firstWeek: ukWeek - WEEKS,
        now,
        ...(service === 'billing'
          ? {
              hotfix: {
                fromCut: schedule.cutOf(usWeek),
                fixAt: fixAt < now ? fixAt : new Date(now.getTime() - 2 * HOUR),
              },
            }
          : {}),
      }),
    ),
  )
  const trains: DemoFacts['trains'] = []
  for (let week = ukWeek - WEEKS + 1; week <= schedule.weekAt(now); week++) {
    const cut = schedule.cutOf(week)
    trains.push({
      week,
      name: trainName(settings, week),
      cut: cut.toISOString(),
      shas: Object.fromEntries(histories.map((h) => [h.name, shaAt(h.mainline, cut.getTime())])),
    })
  }
  const deploys = deployHistory(histories, trains, schedule, ukWeek, now)
  const billing = histories.find((h) => h.fix)
  const facts: DemoFacts = {
    version: 1,
    generatedAt: now.toISOString(),
    services: [...DEMO_SERVICES],
    trains,
    deploys,
    ...(billing?.fix
      ? {
          hotfix: {
            service: billing.name,
            branch: billing.fix.branch,
            fix: billing.fix.master,
            picked: billing.fix.picked,
          },
        }
      : {}),
  }
  writeJournal(join(dir, 'state', 'journal.jsonl'), deploys, now)
  await seedCoordination(dir, deploys, now)
  writeFileSync(factsFile, JSON.stringify(facts, null, 2))
  return facts
}

function deployHistory(
  histories: DemoServiceHistory[],
  trains: DemoFacts['trains'],
  schedule: ReturnType<typeof trainSchedule>,
  ukWeek: number,
  now: Date,
): DemoDeploy[] {
  const out: DemoDeploy[] = []
  const people = DEMO_PEOPLE.map((p) => p.name.split(' ')[0]?.toLowerCase() ?? 'someone')
  const who = (i: number) => people[i % people.length] ?? 'someone'
  const push = (
    service: string,
    environment: string,
    sha: string | undefined,
    at: number,
    result: DemoDeploy['result'] = 'succeeded',
    by = 'rosa',
  ) => {
    if (sha && at < now.getTime()) out.push({ service, environment, sha, at: new Date(at).toISOString(), result, by })
  }
  for (const train of trains.filter((t) => t.week <= ukWeek)) {
    const deploy = schedule.deployAfter(new Date(train.cut)).getTime()
    const previous = trains.find((t) => t.week === train.week - 1)
    histories.forEach((h, i) => {
      push(h.name, 'staging', train.shas[h.name], deploy - 2 * HOUR - i * 600_000, 'succeeded', who(i))
      push(h.name, 'production-uk', train.shas[h.name], deploy + i * 600_000)
      if (previous) push(h.name, 'production-us', previous.shas[h.name], deploy + 3 * HOUR + i * 600_000)
    })
  }
  // This week: dev follows master, qa a little behind, and one failed staging deploy.
  histories.forEach((h, i) => {
    const line = h.mainline
    const tip = line[line.length - 1]
    const older = line[Math.max(0, line.length - 3)]
    if (older)
      push(h.name, 'qa', older.sha, Math.min(now.getTime() - 5 * HOUR, older.time + HOUR), 'succeeded', who(i + 2))
    if (tip) push(h.name, 'dev', tip.sha, Math.min(now.getTime() - HOUR, tip.time + HOUR / 2), 'succeeded', who(i + 1))
  })
  const checkout = histories.find((h) => h.name === 'checkout')
  const tip = checkout?.mainline[checkout.mainline.length - 1]
  if (checkout && tip) push(checkout.name, 'staging', tip.sha, now.getTime() - 3 * HOUR, 'failed', 'chloe')
  const billing = histories.find((h) => h.fix)
  if (billing?.fix) {
    const fixTime = billing.mainline.find((m) => m.sha === billing.fix?.master)?.time ?? now.getTime()
    push(
      billing.name,
      'production-us',
      billing.fix.picked,
      Math.min(now.getTime() - HOUR, fixTime + 2 * HOUR),
      'succeeded',
      'rosa',
    )
  }
  return out.sort((a, b) => a.at.localeCompare(b.at))
}

function writeJournal(file: string, deploys: DemoDeploy[], now: Date): void {
  const journal = DeployJournal.open(file)
  const since = now.getTime() - 21 * 24 * HOUR
  deploys
    .filter((d) => Date.parse(d.at) >= since)
    .forEach((d, i) => {
      const provider = DEMO_ENVIRONMENTS.find((e) => e.name === d.environment)?.provider ?? 'rundeck'
      const start = new Date(d.at)
      const end = new Date(start.getTime() + 45_000 + (i % 5) * 20_000)
      const id = `demo-${start.getTime().toString(36)}-${i}`
      journal.append(
        {
          kind: 'requested',
          run: {
            id,
            service: d.service,
            environment: d.environment,
            sha: d.sha,
            provider,
            state: 'pending',
            requestedBy: d.by,
            requestedAt: d.at,
          },
        },
        start,
      )
      journal.append({ kind: 'triggering', runId: id }, start)
      journal.append(
        {
          kind: 'triggered',
          runId: id,
          ref: { provider, id: String(1000 + i) },
          change: { state: 'running', startedAt: d.at },
        },
        start,
      )
      journal.append(
        {
          kind: 'ended',
          runId: id,
          change: {
            state: d.result,
            endedAt: end.toISOString(),
            detail:
              d.result === 'failed'
                ? provider === 'jenkins'
                  ? 'FAILURE'
                  : 'failed'
                : provider === 'jenkins'
                  ? 'SUCCESS'
                  : 'succeeded',
          },
        },
        end,
      )
    })
  journal.close()
}
