/** Rows one graph page may hold: a few screens, so a page stays a small message. */
export const GRAPH_PAGE_LIMIT = 2000

import type { Sha } from './workspace'

/** One commit row of the branch graph, laid out like `git log --graph`. */
export interface GraphRow {
  sha: Sha
  /** Row number from the top (newest first, topological). */
  row: number
  /** The lane (column) the commit sits in. */
  lane: number
  /** A stable colour index for the lane's branch. */
  color: number
  /** Edges to parents: the parent's row and lane (row = -1 when the parent is outside the layout). */
  parents: { sha: Sha; row: number; lane: number; color: number }[]
  subject: string
  author: string
  /** Commit time, unix seconds. */
  time: number
  /** Branch and tag names pointing at the commit. */
  refs: string[]
  /** Environments whose deployed SHA is this commit. */
  pins: string[]
  /** Trains cut at this commit. */
  trains: string[]
}

/** A page of the graph: rows `offset`… plus what the canvas needs to draw edges passing through. */
export interface GraphPage {
  service: string
  total: number
  /** The widest row of the whole layout, for a stable canvas width. */
  lanes: number
  offset: number
  rows: GraphRow[]
  /** Lanes that pass through each row of the page without a commit (for drawing), by row. */
  through: { row: number; lanes: { lane: number; color: number }[] }[]
  /** Cherry-pick links whose ends are both in the layout: from the original to its copy. */
  links: { from: Sha; to: Sha; fromRow: number; toRow: number; via: 'trailer' | 'patch-id' }[]
  /** Every branch, for the filter. */
  branches: string[]
}

/** A commit's details in the graph's side panel. */
export interface CommitDetails {
  service: string
  sha: Sha
  parents: Sha[]
  author: { name: string; email: string }
  time: string
  message: string
  pr?: number
  /** Environments whose deployed SHA contains this commit. */
  containedIn: string[]
  /** Commits elsewhere that are the same change. */
  equivalents: { sha: Sha; via: 'trailer' | 'patch-id'; branches: string[] }[]
  branches: string[]
}
