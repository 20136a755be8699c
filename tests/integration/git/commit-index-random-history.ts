import { seededRandom } from '../../../src/shared/seeded-random'
import { createRepo, type ImportCommit, type ImportRef, type TestRepo } from '../../support/git-repo'

/** A random history plus what the generator knows about it (the expected trailers and PR numbers). */
export interface RandomHistory {
  repo: TestRepo
  /** SHAs of every commit the generator made, in creation order. */
  commits: string[]
  /** Commit made by `cherry-pick -x` → the commit it names. */
  picked: Map<string, string>
  /** PR number → commits whose subject names it. */
  prs: Map<number, string[]>
}

/**
 * Builds a repository by `steps` random operations: commits on many branches, merges (some of
 * them criss-cross, some octopus), extra root commits, cherry-picks with and without -x, branches
 * from old commits, lightweight and annotated tags, remote-tracking refs, and (with `skew`) commits
 * dated before their parents.
 * Every commit adds its own file, so merges and picks never conflict.
 */
export function buildRandomHistory(seed: number, steps: number, opts: { skew?: boolean } = {}): RandomHistory {
  const rnd = seededRandom(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T
  const repo = createRepo()
  const commits: string[] = []
  const merges = new Set<string>()
  const picked = new Map<string, string>()
  const prs = new Map<number, string[]>()
  const branches = ['master']
  let current = 'master'
  let n = 0
  let pr = 100

  const go = (branch: string): void => {
    if (branch !== current) repo.checkout(branch)
    current = branch
  }
  // Skew: some commits dated a day before their parents, which misleads git's date-based walks.
  const date = (): number | undefined => (opts.skew && rnd() < 0.08 ? repo.nextTime - 3600 * 24 : undefined)
  const notePr = (number: number, sha: string): void => {
    prs.set(number, [...(prs.get(number) ?? []), sha])
  }
  const record = (sha: string, before: string): boolean => {
    if (sha === before) return false
    commits.push(sha)
    return true
  }

  commits.push(repo.commit('Initial commit', { 'f0.txt': 'root\n' }))
  for (let step = 0; step < steps; step++) {
    const r = rnd()
    if (r < 0.42 || commits.length < 5) {
      go(pick(branches))
      n++
      const squash = rnd() < 0.15 ? ++pr : 0
      const subject = squash
        ? `Change ${n} (#${squash})`
        : rnd() < 0.1
          ? `Change ${n}\nwrapped subject\n\nBody of ${n}.`
          : `Change ${n}`
      const sha = repo.commit(subject, { [`f${n}.txt`]: `content ${n}\n` }, { date: date() })
      commits.push(sha)
      if (squash) notePr(squash, sha)
    } else if (r < 0.52) {
      const name = `b${branches.length}`
      repo.branch(name, pick(commits))
      branches.push(name)
    } else if (r < 0.66) {
      const into = pick(branches)
      const from = pick(branches.filter((b) => b !== into))
      if (from === undefined) continue
      go(into)
      const number = rnd() < 0.5 ? ++pr : 0
      const message = number ? `Merge pull request #${number} from org/${from}` : `Merge branch '${from}' into ${into}`
      const before = repo.head()
      const sha = repo.merge(from, message, { date: date() })
      if (record(sha, before)) {
        merges.add(sha)
        if (number) notePr(number, sha)
      }
    } else if (r < 0.71) {
      // Criss-cross: each branch merges the other's old tip.
      const [x, y] = [pick(branches), pick(branches)]
      if (x === y) continue
      const tipX = repo.revParse(x)
      const tipY = repo.revParse(y)
      go(x)
      if (record(repo.merge(tipY, `Criss ${x} <- ${y}`), tipX)) merges.add(repo.head())
      go(y)
      if (record(repo.merge(tipX, `Cross ${y} <- ${x}`), tipY)) merges.add(repo.head())
    } else if (r < 0.73 && branches.length > 2) {
      const [into, a, b] = [pick(branches), pick(branches), pick(branches)]
      if (new Set([into, a, b]).size < 3) continue
      go(into)
      const before = repo.head()
      try {
        const sha = repo.merge([a, b], `Octopus ${a} ${b} into ${into}`)
        if (record(sha, before)) merges.add(sha)
      } catch {
        // An octopus that cannot be made (e.g. nothing to merge) leaves no state worth keeping.
        repo.gitWith(['merge', '--abort'], {}).toString()
      }
    } else if (r < 0.82) {
      const source = pick(commits.filter((c) => !merges.has(c)))
      go(pick(branches))
      const trailer = rnd() < 0.5
      const sha = repo.cherryPick(source, { trailer, date: date() })
      commits.push(sha)
      // Without -x the copied message still carries any trailer the source had.
      const origin = trailer ? source : picked.get(source)
      if (origin !== undefined) picked.set(sha, origin)
    } else if (r < 0.85) {
      const name = `root${branches.length}`
      commits.push(repo.root(name, `Another root ${branches.length}`))
      branches.push(name)
    } else if (r < 0.93) {
      const name = `v${step}`
      if (rnd() < 0.5) repo.tag(name, { at: pick(commits) })
      else repo.tag(name, { at: pick(commits), message: `Release ${name}` })
    } else {
      repo.git('update-ref', `refs/remotes/origin/${pick(branches)}`, pick(commits))
    }
  }
  return { repo, commits, picked, prs }
}

/** A fast-import history: the commits to write, its refs and what the messages say. */
export interface ImportedHistory {
  commits: ImportCommit[]
  refs: ImportRef[]
  /** Commit index → SHA its "(cherry picked from commit X)" trailer names. */
  picked: Map<number, string>
  /** PR number → commit indices whose subject names it. */
  prs: Map<number, number[]>
}

/**
 * A random DAG of `count` commits for `git fast-import`: `lanes` branches that commit, fork from
 * recent history, merge each other (criss-cross happens naturally), a few extra roots, squash and
 * merge PR subjects, cherry-pick trailers, tags and remote-tracking refs. O(count), so it also
 * serves the 100k-commit bench. With `skew`, some commits are dated before their parents.
 */
export function randomImportHistory(
  seed: number,
  count: number,
  opts: { lanes?: number; skew?: boolean } = {},
): ImportedHistory {
  const rnd = seededRandom(seed)
  const lanes = opts.lanes ?? 8
  const hex = (): string => Array.from({ length: 40 }, () => Math.floor(rnd() * 16).toString(16)).join('')
  const commits: ImportCommit[] = []
  const refs: ImportRef[] = []
  const picked = new Map<number, string>()
  const prs = new Map<number, number[]>()
  const tips: number[] = []
  let time = BASE_IMPORT_TIME
  let pr = 0

  for (let i = 0; i < count; i++) {
    time += 30 + Math.floor(rnd() * 60)
    const lane = Math.floor(rnd() * lanes)
    const ref = `refs/heads/${lane === 0 ? 'master' : `lane${lane}`}`
    const tip = tips[lane]
    const r = rnd()
    let parents: number[]
    let message = `Change ${i}\n`
    if (tip === undefined || (r < 0.002 && i > 10)) parents = []
    else if (r < 0.15 && i > 10) {
      // Merge another lane's tip, or (rarely) an older commit of it: criss-crosses and stale merges.
      const other = tips[Math.floor(rnd() * lanes)] ?? tip
      const second = rnd() < 0.8 ? other : Math.max(0, other - Math.floor(rnd() * 50))
      parents = second === tip ? [tip] : [tip, second]
      if (parents.length === 2 && rnd() < 0.5)
        message = `Merge pull request #${++pr} from org/${ref.slice(11)}\n\nFrom review.\n`
    } else if (r < 0.2) {
      // Fork the lane from recent history; half the abandoned lines keep a topic ref.
      parents = [Math.max(0, i - 1 - Math.floor(rnd() * 200))]
      if (rnd() < 0.5) refs.push({ ref: `refs/heads/topic${i}`, commit: tip })
    } else parents = [tip]

    if (parents.length < 2) {
      const q = rnd()
      if (q < 0.1) message = `Change ${i} (#${++pr})\n`
      else if (q < 0.15) {
        const source = hex()
        picked.set(i, source)
        message = `Backport ${i}\n\n(cherry picked from commit ${source})\n`
      }
    }
    const number = /#(\d+)/.exec(message.split('\n')[0] ?? '')?.[1]
    if (number !== undefined) prs.set(Number(number), [...(prs.get(Number(number)) ?? []), i])
    const skewed = opts.skew && rnd() < 0.05 ? time - 86_400 : time
    commits.push({
      ref,
      parents,
      message,
      time: skewed,
      files: parents.length > 1 ? {} : { [`f${i % 17}.txt`]: `${i}\n` },
    })
    tips[lane] = i
    if (rnd() < 0.01)
      refs.push({ ref: `refs/tags/t${i}`, commit: i, ...(rnd() < 0.5 ? { tagMessage: `Tag ${i}\n` } : {}) })
    if (rnd() < 0.005) refs.push({ ref: `refs/remotes/origin/r${i}`, commit: Math.max(0, i - Math.floor(rnd() * 100)) })
  }
  return { commits, refs, picked, prs }
}

const BASE_IMPORT_TIME = 1_704_067_200
