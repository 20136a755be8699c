import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BackgroundFetch } from '../../../src/main/core/git/background-fetch'
import type { Schedule } from '../../../src/main/core/git/background-fetch'
import { Clones } from '../../../src/main/core/git/clone/clones'
import type { FetchOutcome, RepoSource } from '../../../src/main/core/git/clone/clones'
import type { AppError } from '../../../src/shared/errors'
import { startGitHttpServer } from '../../support/git-http-server'
import type { GitHttpServer } from '../../support/git-http-server'
import { createRepo, removeDir, runGit, tmpDir } from '../../support/git-repo'
import type { TestRepo } from '../../support/git-repo'

/** A hand-cranked timer: `tick()` fires the job as the interval would. */
function manualSchedule(): {
  schedule: Schedule
  tick: () => void
  everyMs: () => number | undefined
  stopped: () => boolean
} {
  let job: (() => void) | undefined
  let every: number | undefined
  let stopped = false
  return {
    schedule: (run, everyMs) => {
      job = run
      every = everyMs
      return () => {
        stopped = true
        job = undefined
      }
    },
    tick: () => job?.(),
    everyMs: () => every,
    stopped: () => stopped,
  }
}

describe('background fetch', () => {
  let work: string
  let source: TestRepo
  let bare: string
  let server: GitHttpServer
  let clones: Clones
  const app = (): RepoSource => ({ service: 'app', url: server.repoUrl('app') })
  const gone = (): RepoSource => ({ service: 'gone', url: server.repoUrl('gone') })

  beforeAll(async () => {
    work = tmpDir()
    source = createRepo({ dir: join(work, 'source') })
    source.commit('Initial commit', { 'README.md': 'app\n' })
    bare = join(work, 'served', 'app.git')
    runGit(work, ['clone', '-q', '--bare', source.path, bare])
    server = await startGitHttpServer({ root: join(work, 'served') })
    clones = new Clones({ root: join(work, 'clones'), secret: () => Promise.resolve(undefined) })
    await clones.open(app())
  })

  afterAll(async () => {
    await server.close()
    removeDir(work)
  })

  it('fetches every service on each tick and reports failures without throwing', async () => {
    const timer = manualSchedule()
    const fetched: FetchOutcome[] = []
    const errors: [string, AppError][] = []
    const background = new BackgroundFetch({
      clones,
      sources: () => [gone(), app()],
      intervalMinutes: 10,
      schedule: timer.schedule,
      onFetched: (o) => fetched.push(o),
      onError: (service, error) => errors.push([service, error]),
    })
    background.start()
    expect(timer.everyMs()).toBe(600_000)
    const tip = source.commit('New work', { 'new.txt': 'new\n' })
    source.git('push', '-q', bare, 'master')
    timer.tick()
    expect(background.running).toBe(true)
    await background.runOnce()
    expect(errors.map(([service, error]) => [service, error.code])).toEqual([['gone', 'not-found']])
    expect(fetched).toHaveLength(1)
    expect(fetched[0]?.moved).toEqual([
      { ref: 'refs/remotes/origin/master', from: expect.any(String) as string, to: tip },
    ])
    await background.stop()
    expect(timer.stopped()).toBe(true)
  })

  it('never overlaps rounds, and stop cancels the round under way', async () => {
    const timer = manualSchedule()
    const errors: string[] = []
    const background = new BackgroundFetch({
      clones,
      sources: () => [app()],
      intervalMinutes: 1,
      schedule: timer.schedule,
      onError: (_service, error) => errors.push(error.code),
    })
    background.start()
    source.commit('More work', { 'more.txt': 'x'.repeat(50_000) + Math.PI.toString() })
    source.git('push', '-q', bare, 'master')
    server.setFault({ kind: 'stall-upload-pack', afterBytes: 10 })
    const stalled = server.stalled()
    timer.tick()
    await stalled
    const requests = server.requests.length
    timer.tick()
    timer.tick()
    expect(server.requests.length).toBe(requests)
    expect(clones.isBusy('app')).toBe(true)
    await background.stop()
    expect(clones.isBusy('app')).toBe(false)
    // A cancelled round is not an error to report.
    expect(errors).toEqual([])
    expect((await clones.status('app')).error?.code).toBe('cancelled')
  })

  it('an interval of 0 never starts', () => {
    const timer = manualSchedule()
    new BackgroundFetch({ clones, sources: () => [app()], intervalMinutes: 0, schedule: timer.schedule }).start()
    expect(timer.everyMs()).toBeUndefined()
  })
})
