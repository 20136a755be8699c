import type { TrainSchedule } from '../core/trains/schedule'
import { pick, seededRandom } from '../../shared/seeded-random'
import { RepoWriter, type Person } from './repo-writer'

/** The people of the demo. */
export const DEMO_PEOPLE: Person[] = [
  { name: 'Amara Okafor', email: 'amara@acme.example' },
  { name: 'Ben Hughes', email: 'ben@acme.example' },
  { name: 'Chloé Martin', email: 'chloe@acme.example' },
  { name: 'Dev Patel', email: 'dev@acme.example' },
  { name: 'Eun-ji Park', email: 'eunji@acme.example' },
  { name: 'Finn Larsen', email: 'finn@acme.example' },
]
const RELEASE_MANAGER: Person = { name: 'Rosa Quinn', email: 'rosa@acme.example' }

const AREAS = ['api', 'models', 'jobs', 'views', 'metrics', 'config']
const TOPICS = [
  'retry',
  'pagination',
  'audit log',
  'currency',
  'rate limit',
  'timeouts',
  'cache',
  'search',
  'webhooks',
  'exports',
  'tracing',
  'locale',
]
const VERBS = ['Add', 'Fix', 'Improve', 'Refactor', 'Speed up', 'Harden']

/** What the generator made for one service. */
export interface DemoServiceHistory {
  name: string
  gitdir: string
  /** master's commits on its first-parent line, oldest first, with their times. */
  mainline: { sha: string; time: number }[]
  /** The master commit carrying the hotfix (when this service has the us-release story). */
  fix?: { master: string; picked: string; branch: string; base: string }
}

const HOUR = 3_600_000

/**
 * Writes ~`weeks` weeks of history for a service into `<root>/<service>.git`: pull requests merged into master
 * ("Merge pull request #N …"), a train tag at each cut, and, for `hotfixService`, a `us-release` branch cut from
 * the train before `usTrainWeek`'s successor with a fix cherry-picked from master (trailer included).
 */
export async function writeServiceHistory(options: {
  root: string
  service: string
  schedule: TrainSchedule
  names: (week: number) => string
  firstWeek: number
  now: Date
  hotfix?: { fromCut: Date; fixAt: Date }
}): Promise<DemoServiceHistory> {
  const { service, schedule, now } = options
  const random = seededRandom(`trainyard-demo:${service}`)
  const gitdir = `${options.root}/${service}.git`
  const repo = await RepoWriter.init(gitdir, 'master')
  const files = new Map<string, string>([
    ['README.md', `# ${service}\n\nPart of the Acme shop. Deployed by Trainyard.\n`],
    ['src/money/rounding.ts', 'export function roundMinor(amount: number): number {\n  return Math.round(amount)\n}\n'],
    ...AREAS.map((area): [string, string] => [`src/${area}.ts`, `// ${service} ${area}\n`]),
  ])
  let time = schedule.cutOf(options.firstWeek - 1).getTime() + 10 * HOUR
  let tip = await repo.commit({
    files,
    parents: [],
    message: `Initial commit of ${service}`,
    author: pick(random, DEMO_PEOPLE),
    time: new Date(time),
  })
  const mainline = [{ sha: tip, time }]
  let pr = 100 + Math.floor(random() * 50)
  let fix: DemoServiceHistory['fix']
  const fixAt = options.hotfix?.fixAt.getTime()

  // The bug fix the US needs now: merged on master (squash-style "(#N)"), cherry-picked onto us-release below.
  const commitFix = async (at: number): Promise<NonNullable<DemoServiceHistory['fix']>> => {
    const content =
      'export function roundMinor(amount: number): number {\n  // Round half to even: refunds in multi-currency carts were off by one minor unit.\n  const floor = Math.floor(amount)\n  const diff = amount - floor\n  return diff === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(amount)\n}\n'
    files.set('src/money/rounding.ts', content)
    tip = await repo.commit({
      files,
      parents: [tip],
      message: `Fix refund rounding in multi-currency carts (#${pr++})\n\nRefunds were off by one minor unit for some currencies.`,
      author: DEMO_PEOPLE[1] as Person,
      time: new Date(at),
    })
    mainline.push({ sha: tip, time: at })
    time = at
    return { master: tip, picked: '', branch: 'us-release', base: '' }
  }

  for (let week = options.firstWeek; ; week++) {
    const cut = schedule.cutOf(week).getTime()
    // A train's week of work starts the Friday after the previous cut (in working hours).
    const weekStart = schedule.cutOf(week - 1).getTime() + 10 * HOUR
    time = Math.max(time, Math.min(weekStart, now.getTime()))
    const prs = 2 + Math.floor(random() * 3)
    for (let i = 0; i < prs; i++) {
      const start = time + (1 + random() * 10) * HOUR
      if (start + 3 * HOUR >= Math.min(cut, now.getTime())) break
      if (fixAt !== undefined && !fix && start > fixAt) {
        fix = await commitFix(Math.max(time + HOUR / 2, fixAt))
        continue
      }
      const author = pick(random, DEMO_PEOPLE)
      const area = pick(random, AREAS)
      const title = `${pick(random, VERBS)} ${pick(random, TOPICS)} in ${area}`
      const number = pr++
      const branchFiles = new Map(files)
      const path = `src/${area}.ts`
      const commits = 1 + Math.floor(random() * 2)
      let head = tip
      for (let c = 0; c < commits; c++) {
        branchFiles.set(path, `${branchFiles.get(path) ?? ''}export const change${number}_${c} = '${title}'\n`)
        head = await repo.commit({
          files: branchFiles,
          parents: [head],
          message: c === 0 ? title : `${title}: review fixes`,
          author,
          time: new Date(start + c * HOUR),
        })
      }
      const mergedAt = start + (commits + 0.5) * HOUR
      files.set(path, branchFiles.get(path) ?? '')
      const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-')
      tip = await repo.commit({
        files,
        parents: [tip, head],
        message: `Merge pull request #${number} from acme/${slug}\n\n${title}`,
        author: pick(random, DEMO_PEOPLE),
        time: new Date(mergedAt),
      })
      mainline.push({ sha: tip, time: mergedAt })
      time = mergedAt
    }
    if (fixAt !== undefined && !fix && fixAt < Math.min(cut, now.getTime()) && fixAt > time)
      fix = await commitFix(fixAt)
    if (cut <= now.getTime()) {
      const at = shaAt(mainline, cut)
      const name = options.names(week)
      await repo.tag(
        `train/${name}-${new Date(cut).toISOString().slice(0, 10)}`,
        at,
        `Train ${name}, cut ${new Date(cut).toISOString()}`,
        RELEASE_MANAGER,
        new Date(cut),
      )
    }
    if (cut > now.getTime()) break
  }
  await repo.setBranch('master', tip)

  if (fix && options.hotfix) {
    const base = shaAt(mainline, options.hotfix.fromCut.getTime())
    const pickedFiles = await filesAt(repo, base)
    pickedFiles.set('src/money/rounding.ts', files.get('src/money/rounding.ts') ?? '')
    const fixTime = mainline.find((m) => m.sha === fix?.master)?.time ?? now.getTime()
    const picked = await repo.commit({
      files: pickedFiles,
      parents: [base],
      message: `Fix refund rounding in multi-currency carts\n\nRefunds were off by one minor unit for some currencies.\n\n(cherry picked from commit ${fix.master})`,
      author: DEMO_PEOPLE[1] as Person,
      committer: RELEASE_MANAGER,
      time: new Date(fixTime + HOUR),
    })
    await repo.setBranch(fix.branch, picked)
    fix = { ...fix, picked, base }
  }
  return { name: service, gitdir, mainline, ...(fix ? { fix } : {}) }
}

/** The newest mainline commit at or before `instant`. */
export function shaAt(mainline: { sha: string; time: number }[], instant: number): string {
  let found = mainline[0]?.sha ?? ''
  for (const entry of mainline) if (entry.time <= instant) found = entry.sha
  return found
}

async function filesAt(repo: RepoWriter, sha: string): Promise<Map<string, string>> {
  const { default: git } = await import('isomorphic-git')
  const fs = await import('node:fs')
  const out = new Map<string, string>()
  await git.walk({
    fs,
    gitdir: repo.gitdir,
    trees: [git.TREE({ ref: sha })],
    map: async (path, [entry]) => {
      if (!entry || path === '.') return
      if ((await entry.type()) === 'blob')
        out.set(path, Buffer.from((await entry.content()) ?? new Uint8Array()).toString('utf8'))
    },
  })
  return out
}
