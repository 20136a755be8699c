import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { AppError } from '../../../shared/errors'
import type { Watch } from '../../../shared/models/coordination'
import type { ProbeResult, WhereAnswer } from '../../../shared/models/environments'
import { newRecordId } from './records'

/** "Where is my commit", with probe results that override the last known ones (a run that just succeeded). */
export type WhereQuery = (query: string, overrides?: ProbeResult[]) => Promise<WhereAnswer>

/** What the watches are kept and checked with. */
export interface WatchOptions {
  /** `<workspace state>/watches.json`: this machine's watches (the app and the CLI share it). */
  file: string
  clock: () => Date
  where: WhereQuery
  /** Told about each watch that fires. */
  fired: (watch: Watch) => void
}

/**
 * Local watches: "tell me when <commit> reaches <environment>". Each is checked with the "where is my commit" answer
 * (so a cherry-pick of the commit counts) when a probe or a finished run shows something new in its environment, and
 * fires once.
 */
export class Watches {
  private checking: Promise<Watch[]> = Promise.resolve([])

  constructor(private readonly options: WatchOptions) {}

  /** Adds a watch; the query must name a commit some service knows. A watch already met fires at once. */
  async add(query: string, environment: string): Promise<Watch> {
    const answer = await this.options.where(query)
    if (answer.resolved.length === 0) throw new AppError('not-found', `No service has a commit "${query}".`)
    const now = this.options.clock()
    const watch: Watch = { id: newRecordId(now), query: query.trim(), environment, createdAt: now.toISOString() }
    await this.save([...(await this.list()), watch])
    const fired = await this.check(environment)
    return fired.find((w) => w.id === watch.id) ?? watch
  }

  /** Every watch of this machine, open and fired. */
  async list(): Promise<Watch[]> {
    const text = await readFile(this.options.file, 'utf8').catch(() => '[]')
    try {
      const watches = JSON.parse(text) as unknown
      return Array.isArray(watches) ? (watches as Watch[]) : []
    } catch {
      return []
    }
  }

  /** Removes a watch. */
  async remove(id: string): Promise<void> {
    const watches = await this.list()
    if (!watches.some((w) => w.id === id)) throw new AppError('not-found', `There is no watch "${id}".`)
    await this.save(watches.filter((w) => w.id !== id))
  }

  /** Checks the open watches (of one environment, when given) and fires those met; one check at a time. */
  check(environment?: string, overrides?: ProbeResult[]): Promise<Watch[]> {
    const next = this.checking.then(
      () => this.checkNow(environment, overrides),
      () => this.checkNow(environment, overrides),
    )
    this.checking = next.catch(() => [])
    return next
  }

  private async checkNow(environment: string | undefined, overrides: ProbeResult[] | undefined): Promise<Watch[]> {
    const open = (await this.list()).filter(
      (w) => !w.fired && (environment === undefined || w.environment === environment),
    )
    const fired: Watch[] = []
    for (const watch of open) {
      let answer: WhereAnswer
      try {
        answer = await this.options.where(watch.query, overrides)
      } catch {
        continue
      }
      const cell = answer.cells.find(
        (c) =>
          c.environment === watch.environment &&
          (c.state === 'deployed' || c.state === 'deployed-as-cherry-pick') &&
          c.deployedSha !== undefined,
      )
      if (!cell?.deployedSha) continue
      fired.push({
        ...watch,
        fired: {
          at: this.options.clock().toISOString(),
          service: cell.service,
          sha: cell.deployedSha,
          ...(cell.via ? { via: cell.via } : {}),
        },
      })
    }
    if (fired.length === 0) return []
    // Read again: the CLI may have added a watch meanwhile.
    const byId = new Map(fired.map((w) => [w.id, w]))
    await this.save((await this.list()).map((w) => byId.get(w.id) ?? w))
    for (const watch of fired) this.options.fired(watch)
    return fired
  }

  private async save(watches: Watch[]): Promise<void> {
    await mkdir(dirname(this.options.file), { recursive: true })
    const temp = `${this.options.file}.${process.pid}.tmp`
    await writeFile(temp, `${JSON.stringify(watches, null, 2)}\n`)
    await rename(temp, this.options.file)
  }
}
