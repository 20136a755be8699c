import type { CommitSummary } from '../../../src/shared/models/commits'
import type { TrainPorts } from '../../../src/main/core/trains/ports'
import { firstParentAtTime } from '../../../src/main/core/trains/sha-at-time'

/** One commit of an in-memory history: the fake behind the trains' ports in unit tests. */
export interface FakeCommit {
  sha: string
  parents: string[]
  /** ISO commit time. */
  time: string
  subject?: string
  pickedFrom?: string
}

/** An in-memory history per service, with named branch tips, answering TrainPorts by walking parents. */
export class FakeHistory {
  private readonly commits = new Map<string, FakeCommit>()
  readonly branches = new Map<string, string>()

  /** Adds commits of a service (SHAs are prefixed with the service so services never share one). */
  add(service: string, branch: string, ...commits: FakeCommit[]): void {
    for (const c of commits) {
      this.commits.set(c.sha, c)
      this.branches.set(`${service} ${branch}`, c.sha)
    }
  }

  private reach(sha: string): Set<string> {
    const seen = new Set<string>()
    const todo = [sha]
    for (let s = todo.pop(); s !== undefined; s = todo.pop()) {
      if (seen.has(s)) continue
      seen.add(s)
      todo.push(...(this.commits.get(s)?.parents ?? []))
    }
    return seen
  }

  private summary(sha: string): CommitSummary {
    const c = this.commits.get(sha)
    if (c === undefined) throw new Error(`unknown ${sha}`)
    const s: CommitSummary = {
      sha,
      parents: c.parents,
      author: { name: 'Dev', email: 'dev@example.test' },
      time: c.time,
      subject: c.subject ?? sha,
    }
    if (c.pickedFrom !== undefined) s.cherryPickOf = { sha: c.pickedFrom, via: 'trailer' }
    return s
  }

  /** The ports over this history. */
  ports(): TrainPorts {
    const get = (sha: string) => {
      const c = this.commits.get(sha)
      return c === undefined ? undefined : { parents: c.parents, time: Date.parse(c.time) / 1000 }
    }
    return {
      shaAtTime: (service, branch, instant) => {
        const tip = this.branches.get(`${service} ${branch}`)
        return tip === undefined ? undefined : firstParentAtTime({ get }, tip, instant)
      },
      isAncestor: (_service, ancestor, descendant) => this.reach(descendant).has(ancestor),
      range: (_service, exclude, include) => {
        const hidden = exclude === undefined ? new Set<string>() : this.reach(exclude)
        return [...this.reach(include)]
          .filter((s) => !hidden.has(s))
          .map((s) => this.summary(s))
          .sort((a, b) => Date.parse(b.time) - Date.parse(a.time))
      },
      equivalent: (_service, sha, inHistoryOf) => {
        const own = this.commits.get(sha)
        return [...this.reach(inHistoryOf)].find((s) => {
          const c = this.commits.get(s)
          return c?.pickedFrom === sha || (own?.pickedFrom !== undefined && s === own.pickedFrom)
        })
      },
    }
  }
}
