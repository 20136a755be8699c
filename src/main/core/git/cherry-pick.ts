import { AppError } from '../../../shared/errors'
import type { Sha } from '../../../shared/models/workspace'
import { RepoObjects } from './objects/repo-objects'
import type { RepoAccess } from './objects/repo-objects'
import { pickMessage } from './merge/pick-message'
import { mergeTrees } from './merge/tree-merge'
import type { PathConflict } from './merge/tree-merge'

export type { RepoAccess } from './objects/repo-objects'
export type { ConflictKind, PathConflict } from './merge/tree-merge'
export type { ConflictHunk, LineRange } from './merge/line-merge'

/** What to pick and where: `commits` are applied in order on top of `onto`. */
export interface CherryPickRequest extends RepoAccess {
  onto: Sha
  commits: Sha[]
  /** The parent (1-based) a merge commit is picked against, as `git cherry-pick -m <mainline>`; merges need it. */
  mainline?: number
}

/** One pick as planned: its source commit and the tree its new commit will have. */
export interface PlannedPick {
  commit: Sha
  tree: Sha
}

/**
 * A commit that cannot be picked as is. `reason: 'empty'` is git's refusal of a pick that changes
 * nothing (the change is already there, or the commit itself is empty): `paths` is then empty.
 */
export interface PickConflict {
  commit: Sha
  reason: 'conflict' | 'empty'
  paths: PathConflict[]
}

/** A plan whose every pick merges cleanly; hand it to writeCherryPicks. */
export interface CleanPickPlan {
  ok: true
  onto: Sha
  picks: PlannedPick[]
  /** Internal: the merged objects and source commits, held in memory until written. */
  readonly store: RepoObjects
}

/** The outcome of planning: all picks, or every commit that would stop `git cherry-pick`. */
export type CherryPickPlan = CleanPickPlan | { ok: false; conflicts: PickConflict[] }

/** Who makes the picks; `timezoneOffset` follows isomorphic-git (minutes, -120 for UTC+2). */
export interface Committer {
  name: string
  email: string
  /** Unix seconds. */
  timestamp: number
  timezoneOffset: number
}

/**
 * Computes the cherry-picks of `commits` onto `onto` in memory, as `git cherry-pick -x [-m <mainline>]`
 * would make them (base = the commit's parent, or a merge's parent number `mainline`; ours = the tip so
 * far; theirs = the commit), without
 * writing anything and without touching a worktree, HEAD or a ref. When a commit conflicts or
 * comes out empty, planning goes on as if it were skipped, so every stopping commit is reported.
 * Known differences from git: no rename detection (git follows a file renamed on the other side;
 * here that is a modify/delete conflict), no .gitattributes merge drivers, and gitlinks changed on
 * both sides always conflict.
 */
export async function planCherryPicks(request: CherryPickRequest): Promise<CherryPickPlan> {
  const { fs, gitdir, cache, onto, commits } = request
  const store = new RepoObjects({ fs, gitdir, cache })
  let ours: Sha | undefined = (await store.readCommit(onto)).tree
  const picks: PlannedPick[] = []
  const conflicts: PickConflict[] = []
  for (const sha of commits) {
    const commit = await store.readCommit(sha)
    const parent = baseParent(sha, commit.parents, request.mainline)
    const base = parent === undefined ? undefined : (await store.readCommit(parent)).tree
    const merged = await mergeTrees(store, base, ours, commit.tree)
    if (merged.conflicts.length > 0) {
      conflicts.push({ commit: sha, reason: 'conflict', paths: merged.conflicts })
      continue
    }
    if (merged.tree === ours) {
      conflicts.push({ commit: sha, reason: 'empty', paths: [] })
      continue
    }
    // A pick that deletes everything still needs the empty tree object for its commit.
    picks.push({ commit: sha, tree: merged.tree ?? store.putTree([]) })
    ours = merged.tree
  }
  if (conflicts.length > 0) return { ok: false, conflicts }
  return { ok: true, onto, picks, store }
}

/**
 * Writes the planned objects and one commit per pick (original author, `committer`, message with
 * git's "(cherry picked from commit …)" trailer) and returns the sha of the last one. Moves no ref.
 */
export async function writeCherryPicks(plan: CleanPickPlan, opts: { committer: Committer }): Promise<Sha> {
  const { store } = plan
  const committer = `${opts.committer.name} <${opts.committer.email}> ${opts.committer.timestamp} ${formatTimezone(opts.committer.timezoneOffset)}`
  let parent = plan.onto
  for (const pick of plan.picks) {
    const source = await store.readCommit(pick.commit)
    const head = Buffer.from(`tree ${pick.tree}\nparent ${parent}\nauthor `, 'latin1')
    const tail = Buffer.from(`\ncommitter ${committer}\n\n`, 'utf8')
    parent = store.put('commit', Buffer.concat([head, source.author, tail, pickMessage(source.message, pick.commit)]))
  }
  await store.writeHeld()
  return parent
}

/*
 * git's rules (sequencer.c): a merge needs -m and a parent it has; -m on a commit with one parent is
 * accepted only as 1 (since git 2.21), and a root commit is picked against the empty tree.
 */
function baseParent(sha: Sha, parents: readonly Sha[], mainline: number | undefined): Sha | undefined {
  const at = sha.slice(0, 12)
  if (parents.length > 1) {
    if (mainline === undefined)
      throw new AppError('unsupported', `Commit ${at} is a merge; pick it with a mainline parent (-m 1).`, { sha })
    const parent = parents[mainline - 1]
    if (parent === undefined)
      throw new AppError('invalid-input', `Commit ${at} does not have parent ${mainline}; it has ${parents.length}.`, {
        sha,
      })
    return parent
  }
  if (mainline !== undefined && mainline !== 1)
    throw new AppError('invalid-input', `Commit ${at} is not a merge, so only mainline 1 applies to it.`, { sha })
  return parents[0]
}

// isomorphic-git's sign convention: a positive offset is west of UTC.
function formatTimezone(offset: number): string {
  const minutes = Math.abs(offset)
  const sign = offset > 0 ? '-' : '+'
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}`
}
