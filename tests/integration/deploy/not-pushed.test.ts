import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_RUNDECK_TOKEN } from '../../../src/main/simulators/rundeck-sim'
import type { AppError } from '../../../src/shared/errors'
import { FlowEstate, JOB } from '../trains-flow/estate'

/*
 * Seed 001's UK hotfix, one step too early: the fix is cherry-picked onto `uk-release` in Trainyard's clone but
 * not pushed yet. Rundeck would build from the remote, which does not have that commit: the promote is refused
 * (`not-pushed`) in the preview and at start, until the branch is pushed.
 */
describe('a promote of a commit no remote branch has', () => {
  const estate = new FlowEstate()
  const sha: Record<string, string> = {}

  beforeAll(async () => {
    sha.live = estate.commit('billing', '2026-01-05T09:00:00Z', 'Invoice lines (#40)', { 'lines.txt': 'a\n' })
    sha.fix = estate.commit('billing', '2026-01-06T09:00:00Z', 'Fix invoice rounding (#42)', { 'fix.txt': 'b\n' })
    await estate.start()
    estate.runs('billing', 'production-uk', sha.live)
    await estate.cockpit.invoke('hotfix.create', { service: 'billing', region: 'uk', at: sha.live })
    const picked = await estate.cockpit.invoke('hotfix.pick', {
      service: 'billing',
      branch: 'uk-release',
      commits: [sha.fix],
    })
    expect(picked.ok).toBe(true)
    sha.picked = picked.picked[0]?.to ?? ''
  }, 120_000)
  afterAll(() => estate.close())

  const request = { service: 'billing', environment: 'production-uk', target: 'uk-release' }

  it('is refused in the preview and at start, naming the branch to push; nothing reaches Rundeck', async () => {
    const preview = await estate.cockpit.invoke('deploys.preview', request)
    expect(preview).toMatchObject({ sha: sha.picked, kind: 'forward' })
    expect(preview.blockers).toEqual([
      expect.objectContaining({
        code: 'not-pushed',
        message: expect.stringMatching(
          /is on no remote branch \(only on uk-release here\): push uk-release first/,
        ) as string,
      }),
    ])
    const refused = await estate.cockpit.invoke('deploys.start', request).catch((e: unknown) => e as AppError)
    expect(refused).toMatchObject({ code: 'not-pushed' })
    expect(estate.rundeck.triggerCount(JOB)).toBe(0)
    // The CLI, in a process of its own on the same clones, refuses it the same way.
    const cli = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'fixtures', 'cli-child.ts'),
        ...[
          'promote',
          'billing',
          'uk-release',
          '--to',
          'production-uk',
          '--workspace',
          join(estate.dir, 'trainyard.yaml'),
        ],
      ],
      {
        env: {
          ...process.env,
          TRAINYARD_HOME: estate.dir,
          TY_SECRETS: JSON.stringify({ 'rundeck-token': DEFAULT_RUNDECK_TOKEN }),
        },
      },
    ).catch((e: unknown) => e as { code: number; stderr: string })
    expect(cli).toMatchObject({ code: 1, stderr: expect.stringMatching(/push uk-release first/) as string })
    expect(estate.rundeck.triggerCount(JOB)).toBe(0)
    // What master and the remote already have is not in question.
    const onMaster = await estate.cockpit.invoke('deploys.preview', { ...request, target: sha.fix ?? '' })
    expect(onMaster.blockers).toEqual([])
  })

  it('goes once the branch is pushed', async () => {
    await estate.cockpit.invoke('hotfix.push', { service: 'billing', branch: 'uk-release' })
    const preview = await estate.cockpit.invoke('deploys.preview', request)
    expect(preview.blockers).toEqual([])
    const run = await estate.cockpit.invoke('deploys.start', request)
    expect(run.sha).toBe(sha.picked)
    expect(estate.rundeck.triggerCount(JOB)).toBe(1)
  })
})
