import type { Sha } from './workspace'

/** A commit as the UI shows it in lists. */
export interface CommitSummary {
  sha: Sha
  parents: Sha[]
  author: { name: string; email: string }
  /** Commit time, ISO 8601. */
  time: string
  subject: string
  /** PR number from "Merge pull request #N" or a squash "(#N)" subject. */
  pr?: number
  /** When this commit is a cherry-pick of another one (trailer or patch-id). */
  cherryPickOf?: { sha: Sha; via: 'trailer' | 'patch-id' }
}

/** A commit of a comparison; `alreadyAs` marks a change the other side already has as a cherry-pick. */
export interface ComparedCommit extends CommitSummary {
  /** The commit on the other side that carries the same change (a cherry-pick either way), found by trailer or patch-id. */
  alreadyAs?: { sha: Sha; via: 'trailer' | 'patch-id' }
}

/** Commits between two points of one service's history. */
export interface Comparison {
  service: string
  from: { input: string; sha: Sha }
  to: { input: string; sha: Sha }
  /** Commits in from..to, newest first; marked when `from` already has the change as a cherry-pick. */
  ahead: ComparedCommit[]
  /** Commits in to..from, newest first (what moving to `to` would remove); marked when `to` has the change anyway. */
  behind: ComparedCommit[]
  mergeBase?: Sha
  /** Set while the service's cherry-picks are still being indexed: some `alreadyAs` marks may be missing. */
  cherryPicksPending?: string
}
