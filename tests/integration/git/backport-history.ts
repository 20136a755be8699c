import { BASE_TIME, createRepo, type ImportCommit, type TestRepo } from '../../support/git-repo'
import { seededRandom } from '../../../src/shared/seeded-random'

/** How a backport on the stable branch relates to its original on master. */
export type BackportKind =
  /** `cherry-pick -x`: the same patch and a trailer naming the original. */
  | 'trailer'
  /** The same patch, no trailer: only a patch-id finds it. */
  | 'patch'
  /** The same change with other whitespace, no trailer: `patch-id --stable` ignores whitespace. */
  | 'whitespace'
  /** Resolved by hand (another text), with the trailer: only the trailer finds it. */
  | 'changed-with-trailer'

/** A generated history: a long master, a stable branch cut early carrying backports of old master commits. */
export interface BackportHistory {
  repo: TestRepo
  master: string
  stable: string
  /** Backport SHA → its original on master, and how it was made. */
  backports: Map<string, { original: string; kind: BackportKind }>
  /** Stable commits that are no backport, among them some touching the same lines as an original (same header id). */
  stableOnly: string[]
}

/** The sizes of a history; the defaults put every original 5,000+ commits below master's tip. */
export interface BackportHistoryOptions {
  seed?: number
  /** Commits on master after the root (default 6,000). */
  masterCommits?: number
  /** Master commit the stable branch starts from (default 300). */
  forkAt?: number
  /** Originals are picked among master commits [first, last] (default 400–900). */
  originals?: [number, number]
  /** Backports of each kind (default 8 trailer, 10 patch, 3 whitespace, 3 changed-with-trailer). */
  kinds?: Partial<Record<BackportKind, number>>
  /** Other commits on stable (default 120). */
  stableCommits?: number
  /** Where the repository goes (default a temp dir). */
  dir?: string
  /** A lockfile-like file of `lines` lines that every `every`-th master commit changes in one place (default none). */
  bigFile?: { lines: number; every: number }
}

const FILES = 300
const LINES = 40
// Ordinary commits edit lines 0–15 of a file; originals and their backports edit lines 30–35, so the context of a
// backported hunk is the same on both branches while the files differ elsewhere (other blobs, same patch-id).
const ORDINARY_LINES = 16
const FIX_LINES = [30, 31, 32, 33, 34, 35]

/** Builds the history with `git fast-import` (one process, thousands of commits a second). */
export function buildBackportHistory(options: BackportHistoryOptions = {}): BackportHistory {
  const random = seededRandom(options.seed ?? 15)
  const masterCommits = options.masterCommits ?? 6000
  const forkAt = options.forkAt ?? 300
  const [firstOriginal, lastOriginal] = options.originals ?? [400, 900]
  const kinds: Record<BackportKind, number> = {
    trailer: 8,
    patch: 10,
    whitespace: 3,
    'changed-with-trailer': 3,
    ...options.kinds,
  }
  const total = Object.values(kinds).reduce((a, b) => a + b, 0)
  const stableCommits = options.stableCommits ?? 120
  const decoys = Math.ceil(stableCommits / 10)
  const repo = createRepo(options.dir !== undefined ? { dir: options.dir } : {})
  const files = Array.from({ length: FILES }, () => Array.from({ length: LINES }, (_, l) => `line ${l}`))
  const path = (f: number): string => `src/module-${f}/file-${f}.txt`
  const text = (lines: string[]): string => `${lines.join('\n')}\n`
  const big = options.bigFile && {
    every: options.bigFile.every,
    lines: Array.from({ length: options.bigFile.lines }, (_, l) => `    "package-${l}": "^${l % 17}.${l % 5}.0",`),
  }
  const commits: ImportCommit[] = [
    {
      ref: 'refs/heads/master',
      parents: [],
      message: 'Root\n',
      time: BASE_TIME,
      files: {
        ...Object.fromEntries(files.map((lines, f) => [path(f), text(lines)])),
        ...(big ? { 'package-lock.json': text(big.lines) } : {}),
      },
    },
  ]
  // Master: one ordinary edit per commit; originals are chosen from a window far below the tip. Some are never
  // backported: decoys on stable change their lines differently (same header id, another patch-id).
  const originalAt = new Set<number>()
  while (originalAt.size < total + decoys)
    originalAt.add(firstOriginal + Math.floor(random() * (lastOriginal - firstOriginal)))
  const fixed = new Set<number>()
  const originals: { commit: number; file: number; line: number; text: string }[] = []
  let stableFiles: string[][] = []
  for (let i = 1; i <= masterCommits; i++) {
    if (i === forkAt + 1) stableFiles = files.map((lines) => [...lines])
    let file = Math.floor(random() * FILES)
    let line = Math.floor(random() * ORDINARY_LINES)
    let change = `line ${line} changed by master commit ${i}`
    if (originalAt.has(i)) {
      // Each original fixes a file no other original touches, so every backport has exactly one original.
      while (fixed.has(file)) file = (file + 1) % FILES
      fixed.add(file)
      line = FIX_LINES[Math.floor(random() * FIX_LINES.length)] as number
      change = `line ${line} fixed: ${Math.floor(random() * 1e9).toString(36)}`
      originals.push({ commit: i, file, line, text: change })
    }
    const lines = files[file] as string[]
    lines[line] = change
    const changed = { [path(file)]: text(lines) }
    if (big && i % big.every === 0 && !originalAt.has(i)) {
      big.lines[Math.floor(random() * big.lines.length)] =
        `    "resolved": "${Math.floor(random() * 1e12).toString(36)}",`
      changed['package-lock.json'] = text(big.lines)
    }
    commits.push({
      ref: 'refs/heads/master',
      parents: [i - 1],
      message: `Master commit ${i}\n`,
      time: BASE_TIME + 60 * i,
      files: changed,
    })
  }
  // Stable: ordinary commits of its own, backports in random order among them, and decoys on the fixed lines.
  const plan: (BackportKind | 'ordinary' | 'decoy')[] = []
  for (const [kind, n] of Object.entries(kinds) as [BackportKind, number][]) for (let k = 0; k < n; k++) plan.push(kind)
  for (let k = 0; k < stableCommits; k++) plan.push(k < decoys ? 'decoy' : 'ordinary')
  for (let k = plan.length - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1))
    ;[plan[k], plan[j]] = [plan[j] as (typeof plan)[number], plan[k] as (typeof plan)[number]]
  }
  const shuffled = [...originals].sort(() => random() - 0.5)
  const queue = shuffled.slice(0, total)
  const unbackported = shuffled.slice(total)
  const made: { at: number; original?: number; kind?: BackportKind }[] = []
  let parent = forkAt
  plan.forEach((step, k) => {
    const at = commits.length
    const time = BASE_TIME + 60 * (forkAt + 1) + 37 * (k + 1)
    let file = Math.floor(random() * FILES)
    let message = `Stable commit ${k}\n`
    const lines = stableFiles[file] as string[]
    let entry: (typeof made)[number] = { at }
    if (step === 'ordinary') lines[Math.floor(random() * ORDINARY_LINES)] = `line changed on stable ${k}`
    else if (step === 'decoy') {
      const target = unbackported.pop() as (typeof originals)[number]
      file = target.file
      ;(stableFiles[file] as string[])[target.line] = `line ${target.line} changed differently on stable ${k}`
      message = `Stable decoy ${k} on the lines of an original\n`
    } else {
      const original = queue.pop() as (typeof originals)[number]
      file = original.file
      const target = stableFiles[file] as string[]
      const sha = `:${original.commit + 1}`
      target[original.line] =
        step === 'whitespace'
          ? `  ${original.text.replaceAll(' ', '  ')}`
          : step === 'changed-with-trailer'
            ? `${original.text} (resolved by hand)`
            : original.text
      message = `Backport of master commit ${original.commit}\n`
      if (step === 'trailer' || step === 'changed-with-trailer') message += `\n(cherry picked from commit ${sha})\n`
      entry = { at, original: original.commit, kind: step }
    }
    made.push(entry)
    commits.push({
      ref: 'refs/heads/stable',
      parents: [parent],
      message,
      time,
      files: { [path(file)]: text(stableFiles[file] as string[]) },
    })
    parent = at
  })
  // Trailers name full SHAs, known only once the originals exist: master is imported first, then stable onto it.
  const masterShas = repo.fastImport(commits.slice(0, masterCommits + 1))
  const first = masterCommits + 1
  const stableShas = repo.fastImport(
    commits.slice(first).map((c) => ({
      ...c,
      parents: c.parents.map((p) => (p === forkAt ? (masterShas[forkAt] as string) : (p as number) - first)),
      message: c.message.replace(/:(\d+)\)/, (_, m: string) => `${masterShas[Number(m) - 1]})`),
    })),
  )
  const backports = new Map<string, { original: string; kind: BackportKind }>()
  const stableOnly: string[] = []
  made.forEach((m, k) => {
    const sha = stableShas[k] as string
    if (m.original !== undefined && m.kind !== undefined)
      backports.set(sha, { original: masterShas[m.original] as string, kind: m.kind })
    else stableOnly.push(sha)
  })
  return { repo, master: repo.revParse('master'), stable: repo.revParse('stable'), backports, stableOnly }
}
