import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EventHub } from '../../../src/main/core/events'
import { assessPromotion } from '../../../src/main/core/deploy/guard'
import { RecordingNotifier } from '../../../src/main/core/deploy/notifier'
import { DeployRunner, type DeployRunnerOptions } from '../../../src/main/core/deploy/runner'
import type { AppError } from '../../../src/shared/errors'
import { createRepo, removeDir, tmpDir, type TestRepo } from '../../support/git-repo'
import { FakeProvider } from '../../unit/deploy/fake-provider'
import { workspace } from '../../unit/deploy/fixtures'
import { gitAncestry } from './fixtures/git-ancestry'

/*
 * History (git is the oracle for every list):
 *   c1 ─ c2 ─ m(#12: feature f1) ─ c4          master
 *          └─ f1 ┘
 *          └─ h1 ─ h2                          hotfix (diverged from master at c2)
 */
describe('promotion guard over a real git history', () => {
  let repo: TestRepo
  let dir: string
  const shas: Record<string, string> = {}
  const noEvidence = { succeededShas: () => [], currentSha: () => Promise.resolve(undefined) }
  const revList = (...args: string[]): string[] =>
    repo
      .git('rev-list', ...args)
      .split('\n')
      .filter((l) => l !== '')

  beforeAll(() => {
    repo = createRepo()
    dir = tmpDir()
    shas.c1 = repo.commit('First', { a: '1' })
    shas.c2 = repo.commit('Second (#11)', { a: '2' })
    repo.branch('feature')
    repo.branch('hotfix')
    repo.checkout('feature')
    shas.f1 = repo.commit('Feature work', { f: '1' }, { author: { name: 'Fay', email: 'fay@example.test' } })
    repo.checkout('master')
    shas.m = repo.merge('feature', 'Merge pull request #12 from team/feature')
    shas.c4 = repo.commit('Fourth', { a: '4' })
    repo.checkout('hotfix')
    shas.h1 = repo.commit('Hotfix one', { h: '1' })
    shas.h2 = repo.commit('Hotfix two', { h: '2' })
    repo.checkout('master')
  })
  afterAll(() => {
    repo.cleanup()
    removeDir(dir)
  })

  const assess = (sha: string, currentSha: string | undefined, rollback?: { reason: string }, firstDeploy?: true) =>
    assessPromotion(gitAncestry({ web: repo.path }), workspace(), noEvidence, {
      service: 'web',
      environment: 'qa',
      sha,
      ...(currentSha ? { currentSha } : {}),
      ...(rollback ? { rollback } : {}),
      ...(firstDeploy ? { firstDeploy } : {}),
    })

  it('passes a descendant and lists what ships, as git rev-list does, with authors and PR numbers', async () => {
    const a = await assess(shas.c4 as string, shas.c1)
    expect(a.kind).toBe('forward')
    expect(a.blockers).toEqual([])
    expect(a.commits.map((c) => c.sha)).toEqual(revList(shas.c4 as string, `^${shas.c1}`))
    expect(a.commits.find((c) => c.sha === shas.m)?.pr).toBe(12)
    expect(a.commits.find((c) => c.sha === shas.c2)?.pr).toBe(11)
    expect(a.commits.find((c) => c.sha === shas.f1)?.author.name).toBe('Fay')
  })

  it('refuses a non-descendant with the commits it would remove', async () => {
    const a = await assess(shas.h2 as string, shas.c4)
    expect(a.kind).toBe('rollback')
    expect(a.blockers).toHaveLength(1)
    const [blocker] = a.blockers
    expect(blocker?.code).toBe('not-a-descendant')
    const removes = (blocker?.details as { removes: { sha: string }[] }).removes.map((c) => c.sha)
    expect(removes).toEqual(revList(shas.c4 as string, `^${shas.h2}`))
    expect(removes).toHaveLength(3)
  })

  it('treats the same SHA as a redeploy, and no known SHA as a first deploy only when the person confirms it', async () => {
    expect(await assess(shas.c4 as string, shas.c4)).toMatchObject({ kind: 'redeploy', commits: [], blockers: [] })
    const unconfirmed = await assess(shas.c4 as string, undefined)
    expect(unconfirmed.kind).toBe('first-deploy')
    expect(unconfirmed.blockers.map((b) => b.code)).toEqual(['current-unknown'])
    expect(unconfirmed.blockers[0]?.message).toMatch(/cannot tell what qa runs.*--first-deploy/)
    expect(await assess(shas.c4 as string, undefined, undefined, true)).toMatchObject({
      kind: 'first-deploy',
      blockers: [],
    })
  })

  it('lets a rollback with a reason through, records the reason, and refuses one without', async () => {
    const provider = new FakeProvider()
    const notifier = new RecordingNotifier()
    const options: DeployRunnerOptions = {
      journalFile: join(dir, 'journal.jsonl'),
      workspace: workspace(),
      providerFor: (service, environment) => ({
        provider,
        request: {
          service,
          environment,
          job: { provider: 'rundeck', endpoint: 'rundeck', jobId: 'job-1', options: {} },
        },
      }),
      history: gitAncestry({ web: repo.path }),
      currentSha: () => Promise.resolve(shas.c4),
      notifier,
      events: new EventHub(),
      clock: () => new Date('2024-05-01T10:00:00Z'),
      user: 'ana',
      poll: { initialMs: 1, maxMs: 4 },
    }
    const runner = new DeployRunner(options)
    const refused = (await runner
      .start({ service: 'web', environment: 'qa', target: 'master~2' })
      .catch((e: unknown) => e)) as AppError
    expect(refused.code).toBe('not-a-descendant')
    expect((refused.details as { removes: { sha: string }[] }).removes.map((c) => c.sha)).toEqual(
      revList(shas.c4 as string, '^master~2'),
    )
    const empty = (await runner
      .start({ service: 'web', environment: 'qa', target: 'master~2', rollback: { reason: '  ' } })
      .catch((e: unknown) => e)) as AppError
    expect(empty.code).toBe('invalid-input')
    expect(provider.triggers).toHaveLength(0)

    const run = await runner.start({
      service: 'web',
      environment: 'qa',
      target: 'master~2',
      rollback: { reason: 'checkout broken in #12' },
    })
    expect(run).toMatchObject({
      sha: repo.revParse('master~2'),
      previousSha: shas.c4,
      rollback: { reason: 'checkout broken in #12' },
    })
    await runner.waitForEnd(run.id)
    await runner.close()
    const reopened = new DeployRunner(options)
    expect(reopened.get(run.id).run.rollback).toEqual({ reason: 'checkout broken in #12' })
    await reopened.close()
    expect(provider.triggers).toHaveLength(1)
  })
})
