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

/** Commits between two points of one service's history. */
export interface Comparison {
  service: string
  from: { input: string; sha: Sha }
  to: { input: string; sha: Sha }
  /** Commits in from..to, newest first. */
  ahead: CommitSummary[]
  /** Commits in to..from, newest first (what moving to `to` would remove). */
  behind: CommitSummary[]
  mergeBase?: Sha
}
