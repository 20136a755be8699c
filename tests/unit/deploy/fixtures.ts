import { AppError } from '../../../src/shared/errors'
import type { CommitSummary } from '../../../src/shared/models/commits'
import type { Workspace } from '../../../src/shared/models/workspace'
import type { AncestryPort } from '../../../src/main/core/deploy/guard'

/** A fixed SHA per index: `sha(3)` = "333…3" padded, so tests read easily. */
export function sha(n: number): string {
  return n.toString(16).repeat(40).slice(0, 40)
}

/** An AncestryPort over one straight line of commits `sha(1)` ← `sha(2)` ← … (a fake at the port for unit tests). */
export function lineHistory(length: number): AncestryPort {
  const index = (s: string): number => {
    for (let i = 1; i <= length; i++) if (sha(i) === s) return i
    throw new AppError('not-found', `${s} names no commit`)
  }
  const summary = (i: number): CommitSummary => ({
    sha: sha(i),
    parents: i > 1 ? [sha(i - 1)] : [],
    author: { name: `Author ${i}`, email: `a${i}@example.test` },
    time: `2024-01-01T00:0${i % 10}:00Z`,
    subject: `Change ${i} (#${100 + i})`,
    pr: 100 + i,
  })
  return {
    resolve: (_service, input) => sha(index(input.length === 40 ? input : input.padEnd(40, input.slice(-1)))),
    isAncestor: (_service, a, b) => index(a) <= index(b),
    range: (_service, exclude, include) => {
      const out: CommitSummary[] = []
      for (let i = index(include); i > index(exclude); i--) out.push(summary(i))
      return out
    },
    // One history with no remote in it: every commit counts as pushed.
    unpushed: () => undefined,
  }
}

/** A workspace with one service `web` and the path dev → qa → production; production requires previous success. */
export function workspace(): Workspace {
  const job = { provider: 'rundeck' as const, endpoint: 'rundeck', jobId: 'job-1', options: { SHA: '{sha}' } }
  return {
    file: '/tmp/workspace.yaml',
    name: 'test estate',
    services: [{ name: 'web', repo: { url: 'http://git.test/web.git' }, defaultBranch: 'master', environments: {} }],
    environments: [
      { name: 'dev', probe: { kind: 'none' }, deploy: job, requirePreviousSuccess: false },
      { name: 'qa', probe: { kind: 'none' }, deploy: job, requirePreviousSuccess: false },
      { name: 'production', probe: { kind: 'none' }, deploy: job, requirePreviousSuccess: true },
    ],
    regions: [{ name: 'uk', label: 'UK', path: ['dev', 'qa', 'production'], production: ['production'] }],
    endpoints: {
      rundeck: { kind: 'rundeck', url: 'http://rundeck.test', apiVersion: 45, credential: 'rundeck-token' },
    },
    settings: { fetchIntervalMinutes: 0, probeTimeoutMs: 1000, probeConcurrency: 2 },
  }
}
