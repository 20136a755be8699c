/* eslint-disable svelte/prefer-svelte-reactivity -- the page cache is plain on purpose: `version` tells the canvas to redraw, without tracking every row. */
import type { CommitDetails, GraphPage, GraphRow } from '../../../shared/models/graph'
import { api } from './api'

/** Rows fetched per request. */
export const PAGE_ROWS = 200
/** Pages kept in memory (least recently used go first). */
const KEEP_PAGES = 40

type Through = GraphPage['through'][number]['lanes']
type Link = GraphPage['links'][number]

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The branch graph as the renderer knows it: pages of rows fetched as they scroll into view, the selection and its details. */
export class GraphState {
  service = $state<string | null>(null)
  branch = $state<string>('')
  total = $state(0)
  lanes = $state(1)
  branches = $state.raw<string[]>([])
  loading = $state(false)
  error = $state<string | null>(null)
  /** Bumped whenever a page arrives, so the canvas redraws. */
  version = $state(0)
  selected = $state<number | null>(null)
  /** Bumped when the selection should be scrolled into view (a jump, Home/End), not on every arrow key. */
  revealed = $state(0)
  /** Why the last jump found nothing. */
  jumpError = $state<string | null>(null)
  details = $state.raw<CommitDetails | null>(null)
  /** What each environment of the service runs (from the matrix), for the environment bar. */
  environments = $state.raw<{ environment: string; sha?: string }[]>([])
  detailsError = $state<string | null>(null)
  private pages = new Map<number, GraphPage>()
  private inFlight = new Map<number, Promise<void>>()
  private generation = 0

  /** Shows a service's graph (optionally one branch), starting from the top. */
  async open(service: string, branch = ''): Promise<void> {
    this.service = service
    this.branch = branch
    this.generation++
    this.pages = new Map()
    this.inFlight = new Map()
    this.selected = null
    this.details = null
    this.error = null
    this.loading = true
    void this.loadEnvironments()
    await this.ensure(0, PAGE_ROWS - 1)
    this.loading = false
  }

  /** Reads what each environment of the service runs (the probes' last answers; no fresh reads). */
  async loadEnvironments(): Promise<void> {
    const service = this.service
    try {
      const matrix = await api.invoke('environments.matrix', {})
      if (service !== this.service) return
      this.environments = matrix.cells
        .filter((c) => c.service === service)
        .map((c) => (c.probe.sha ? { environment: c.environment, sha: c.probe.sha } : { environment: c.environment }))
    } catch {
      // The bar is a shortcut; the pins in the graph say the same.
      this.environments = []
    }
  }

  /** Fetches the pages holding rows `first` … `last` that are not cached yet. */
  async ensure(first: number, last: number): Promise<void> {
    const from = Math.max(0, Math.floor(first / PAGE_ROWS))
    const to = Math.max(from, Math.floor(Math.max(first, last) / PAGE_ROWS))
    const waits: Promise<void>[] = []
    for (let p = from; p <= to; p++) {
      if (this.pages.has(p)) {
        const page = this.pages.get(p) as GraphPage
        this.pages.delete(p)
        this.pages.set(p, page)
      } else if (this.total === 0 || p * PAGE_ROWS < this.total || p === 0) waits.push(this.fetch(p))
    }
    await Promise.all(waits)
  }

  private fetch(p: number): Promise<void> {
    const running = this.inFlight.get(p)
    if (running) return running
    const generation = this.generation
    const service = this.service
    if (service === null) return Promise.resolve()
    const request = api
      .invoke('graph.page', {
        service,
        offset: p * PAGE_ROWS,
        limit: PAGE_ROWS,
        ...(this.branch ? { branches: [this.branch] } : {}),
      })
      .then((page) => {
        if (generation !== this.generation) return
        this.pages.set(p, page)
        while (this.pages.size > KEEP_PAGES) this.pages.delete(this.pages.keys().next().value as number)
        this.total = page.total
        this.lanes = Math.max(1, page.lanes)
        if (page.branches.join('\n') !== this.branches.join('\n')) this.branches = page.branches
        this.version++
      })
      .catch((error: unknown) => {
        if (generation === this.generation) this.error = messageOf(error)
      })
      .finally(() => this.inFlight.delete(p))
    this.inFlight.set(p, request)
    return request
  }

  /** The row at `r`, when its page is loaded. */
  row(r: number): GraphRow | undefined {
    return this.pages.get(Math.floor(r / PAGE_ROWS))?.rows[r % PAGE_ROWS]
  }

  /** The lanes passing through row `r`, when its page is loaded. */
  through(r: number): Through | undefined {
    return this.pages.get(Math.floor(r / PAGE_ROWS))?.through[r % PAGE_ROWS]?.lanes
  }

  /** Cherry-pick links of the loaded pages, once each. */
  links(): Link[] {
    const seen = new Map<string, Link>()
    for (const page of this.pages.values()) for (const l of page.links) seen.set(`${l.from}>${l.to}`, l)
    return [...seen.values()]
  }

  /** Jumps to a commit (SHA, branch, tag or #PR) of the service shown: selects its row and scrolls to it. */
  async jump(query: string): Promise<boolean> {
    const service = this.service
    if (service === null || query.trim() === '') return false
    this.jumpError = null
    try {
      const { row } = await api.invoke('graph.locate', {
        service,
        query: query.trim(),
        ...(this.branch ? { branches: [this.branch] } : {}),
      })
      await this.select(row)
      this.revealed++
      return true
    } catch (error) {
      this.jumpError = messageOf(error)
      return false
    }
  }

  /** Opens a service's graph at a commit. */
  async show(service: string, query: string): Promise<void> {
    if (this.service !== service || this.branch !== '') await this.open(service)
    await this.jump(query)
  }

  /** Selects row `r` (clamped) and loads its commit's details. */
  async select(r: number): Promise<void> {
    if (this.total === 0 || this.service === null) return
    const row = Math.max(0, Math.min(this.total - 1, r))
    this.selected = row
    this.detailsError = null
    await this.ensure(row, row)
    const commit = this.row(row)
    if (!commit || this.selected !== row) return
    try {
      const details = await api.invoke('graph.commit', { service: this.service, sha: commit.sha })
      if (this.selected === row) this.details = details
    } catch (error) {
      this.detailsError = messageOf(error)
    }
  }
}

/** The app's single graph state. */
export const graph = new GraphState()
