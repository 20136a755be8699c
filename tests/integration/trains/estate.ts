import type { DeployRun } from '../../../src/shared/models/deploys'
import type { ProbeResult } from '../../../src/shared/models/environments'
import type { RegionTrains, Train, TrainBoard, TrainStatus } from '../../../src/shared/models/trains'
import type { Region, TrainSettings } from '../../../src/shared/models/workspace'
import { trainBoard } from '../../../src/main/core/trains/board'
import type { ManualCut } from '../../../src/main/core/trains/manual-cuts'
import type { HotfixBranchTip } from '../../../src/main/core/trains/ports'
import { trainSchedule } from '../../../src/main/core/trains/schedule'
import { createRepo, type TestRepo } from '../../support/git-repo'
import { gitCaches, gitPorts } from './git-ports'

/*
 * A small estate for the seed-001 scenarios: three services in real git repositories, two regions, a deploy
 * journal and probe values that the test steps through time by hand, as the runner and probes would.
 */

/** The services, in the order the workspace file lists them. */
export const SERVICES = ['api', 'billing', 'web'] as const

/** UK first, then US, each with a staging environment before production. */
export const REGIONS: Region[] = [
  { name: 'uk', label: 'UK', path: ['staging', 'production-uk'], production: ['production-uk'] },
  { name: 'us', label: 'US', path: ['staging-us', 'production-us'], production: ['production-us'] },
]

/** The team's train settings: Europe/London, cut Thursday 24:00, deploy Friday 10:00, a week of seasoning. */
export function trainSettings(anchor: { date: string; name: string }): TrainSettings {
  return {
    timezone: 'Europe/London',
    cut: { day: 'thursday', time: '24:00' },
    deploy: { day: 'friday', time: '10:00' },
    names: ['ALICIA', 'BERTHA', 'CHARLIE', 'DARLENE', 'EDNA', 'FREDA'],
    anchor,
    seasoningDays: 7,
    regions: [
      { region: 'uk', lag: 0 },
      { region: 'us', lag: 1 },
    ],
    hotfixBranch: '{region}-release',
    serviceOrder: ['api', 'billing'],
  }
}

const unix = (iso: string): number => Date.parse(iso) / 1000

/** The estate: repos, journal, probes and hotfix branches as of the test's clock. */
export class Estate {
  readonly repos: Record<string, TestRepo> = {}
  readonly journal: DeployRun[] = []
  readonly hotfixBranches: HotfixBranchTip[] = []
  readonly manualCuts: ManualCut[] = []
  private readonly probes = new Map<string, ProbeResult>()
  // Ancestry and commit times never change, so their caches live as long as the estate.
  private readonly caches = gitCaches()

  constructor(readonly settings: TrainSettings) {
    for (const s of SERVICES) this.repos[s] = createRepo()
  }

  /** The repo of a service. */
  repo(service: string): TestRepo {
    const repo = this.repos[service]
    if (repo === undefined) throw new Error(`no repo for ${service}`)
    return repo
  }

  /** A commit on master of one service at a fixed time, by that service's author. */
  commit(service: string, iso: string, message: string, file = `${service}-${iso}.txt`): string {
    const author = { name: `Dev ${service}`, email: `${service}@example.test` }
    return this.repo(service).commit(message, { [file]: `${message}\n` }, { date: unix(iso), author })
  }

  /** The same work committed to every service at a time. */
  work(iso: string, message: string): void {
    for (const s of SERVICES) this.commit(s, iso, `${message} in ${s}`)
  }

  /** Records a succeeded deploy run and makes the environment's probe report its SHA. */
  deploy(service: string, environment: string, sha: string, iso: string): void {
    const n = this.journal.length + 1
    this.journal.push({
      id: `run-${n}`,
      service,
      environment,
      sha,
      provider: 'rundeck',
      state: 'succeeded',
      requestedBy: 'qa@example.test',
      requestedAt: iso,
      startedAt: iso,
      endedAt: iso,
    })
    this.probes.set(`${service} ${environment}`, { service, environment, sha, asOf: iso, cached: false })
  }

  /** Deploys every service of a train to an environment. */
  deployTrain(train: Train, environment: string, iso: string): void {
    for (const s of SERVICES) {
      const sha = train.shas[s]
      if (sha !== undefined) this.deploy(s, environment, sha, iso)
    }
  }

  /** The trains board as the cockpit would derive it at `iso`. */
  board(iso: string): TrainBoard {
    return trainBoard({
      now: new Date(iso),
      settings: this.settings,
      services: SERVICES.map((name) => ({ name, defaultBranch: 'master', environments: {} })),
      regions: REGIONS,
      probes: [...this.probes.values()],
      journal: this.journal,
      hotfixBranches: this.hotfixBranches,
      manualCuts: this.manualCuts,
      ports: gitPorts(this.repos, this.caches),
    })
  }

  /** "Cut the train now" at `iso`: the next train is frozen at every master tip as of then. */
  cutNow(iso: string): void {
    const scheduledCut = trainSchedule(this.settings).nextCut(new Date(iso)).toISOString()
    const shas = Object.fromEntries(SERVICES.map((s) => [s, this.repo(s).revParse('master')]))
    this.manualCuts.push({ scheduledCut, at: iso, by: 'rm@example.test', shas })
  }

  cleanup(): void {
    for (const r of Object.values(this.repos)) r.cleanup()
  }
}

/** One region of a board. */
export function regionOf(board: TrainBoard, name: string): RegionTrains {
  const r = board.regions.find((x) => x.region === name)
  if (r === undefined) throw new Error(`no region ${name}`)
  return r
}

/** The newest train of a board with that name (names repeat once the list wraps). */
export function trainOf(board: TrainBoard, name: string): TrainStatus {
  const t = board.trains.findLast((x) => x.train.name === name)
  if (t === undefined) throw new Error(`no train ${name}`)
  return t
}

/** Phases of the named trains, for one-line assertions. */
export function phases(board: TrainBoard, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, trainOf(board, n).phase]))
}
