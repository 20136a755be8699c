import { describe, expect, it } from 'vitest'
import { buildMatrix } from '../../../src/main/core/environments/matrix'
import type { DeployRun, DeployState } from '../../../src/shared/models/deploys'
import type { ProbeResult } from '../../../src/shared/models/environments'
import { sha, workspace } from '../deploy/fixtures'

let next = 0
function run(
  environment: string,
  n: number,
  state: DeployState,
  day: number,
  extra: Partial<DeployRun> = {},
): DeployRun {
  next += 1
  const at = `2026-03-${String(day).padStart(2, '0')}T10:00:00.000Z`
  return {
    id: `run-${next}`,
    service: 'web',
    environment,
    sha: sha(n),
    provider: 'rundeck',
    state,
    requestedBy: `person-${next}`,
    requestedAt: at,
    ...(state === 'running' || state === 'unknown' ? {} : { endedAt: at.replace('10:00', '10:05') }),
    ...extra,
  }
}

function probe(environment: string, n: number): ProbeResult {
  return { service: 'web', environment, sha: sha(n), asOf: '2026-03-20T00:00:00.000Z', cached: false }
}

async function matrixOf(
  probes: ProbeResult[],
  runs: DeployRun[],
  trains?: Parameters<typeof buildMatrix>[0]['trains'],
) {
  const matrix = await buildMatrix({
    workspace: workspace(),
    probes,
    indexOf: () => Promise.resolve(undefined),
    runs,
    now: new Date('2026-03-20T00:00:00Z'),
    ...(trains ? { trains } : {}),
  })
  const cell = (env: string) => matrix.cells.find((c) => c.environment === env)
  return { matrix, cell }
}

describe('the matrix next to the deploy journal', () => {
  it('names who deployed the running SHA, and the newer run that failed or is unknown', async () => {
    const { cell, matrix } = await matrixOf(
      [probe('dev', 2), probe('qa', 1), probe('production', 1)],
      [
        run('dev', 2, 'succeeded', 1),
        run('qa', 1, 'succeeded', 1),
        run('qa', 2, 'failed', 3, { detail: 'timedout', error: { code: 'deploy-failed', message: 'Job timed out' } }),
        run('production', 1, 'succeeded', 1),
        run('production', 2, 'unknown', 4, { detail: 'the trigger got no clear answer from the provider' }),
      ],
    )
    expect(cell('dev')).toMatchObject({ deployedBy: 'person-1' })
    expect(cell('dev')?.lastRun).toBeUndefined()
    expect(cell('qa')).toMatchObject({
      deployedBy: 'person-2',
      lastRun: { state: 'failed', sha: sha(2), why: 'timedout: Job timed out' },
    })
    expect(cell('production')?.lastRun).toMatchObject({
      state: 'unknown',
      why: 'the trigger got no clear answer from the provider',
    })
    // What the probes say agrees with the last successful runs: no disagreement.
    expect(matrix.warnings.filter((w) => w.kind === 'differs-from-deploy')).toEqual([])
  })

  it('forgets a failure once a later run succeeded', async () => {
    const { cell } = await matrixOf(
      [probe('qa', 3)],
      [run('qa', 2, 'failed', 1), run('qa', 3, 'succeeded', 2), run('qa', 4, 'running', 3)],
    )
    expect(cell('qa')?.lastRun).toBeUndefined()
    expect(cell('qa')?.activeRunId).toBeDefined()
  })

  it('says when a probe disagrees with the last successful run', async () => {
    const { cell, matrix } = await matrixOf(
      [probe('production', 5)],
      [run('production', 3, 'succeeded', 1), run('production', 4, 'succeeded', 2)],
    )
    expect(cell('production')?.lastDeployedSha).toBe(sha(4))
    expect(matrix.warnings).toContainEqual(
      expect.objectContaining({
        kind: 'differs-from-deploy',
        environment: 'production',
        message: expect.stringContaining(`put ${sha(4).slice(0, 7)} there`) as string,
      }),
    )
  })

  it('an unknown run of the SHA the probe reports explains the difference', async () => {
    const { cell, matrix } = await matrixOf(
      [probe('production', 5)],
      [run('production', 4, 'succeeded', 1), run('production', 5, 'unknown', 2)],
    )
    expect(cell('production')?.lastDeployedSha).toBeUndefined()
    expect(cell('production')?.lastRun?.state).toBe('unknown')
    expect(matrix.warnings.filter((w) => w.kind === 'differs-from-deploy')).toEqual([])
  })

  it('names the train a production cell runs', async () => {
    const train = { id: 'LEE@x', name: 'LEE', cutAt: '2026-03-13T00:00:00Z', cutDate: '2026-03-12' }
    const { cell } = await matrixOf(
      [probe('qa', 1), probe('production', 1)],
      [],
      [{ service: 'web', environment: 'production', sha: sha(1), train, kind: 'hotfix', extra: 1 }],
    )
    expect(cell('production')?.train).toEqual({ name: 'LEE', cutDate: '2026-03-12', kind: 'hotfix', extra: 1 })
    expect(cell('qa')?.train).toBeUndefined()
  })
})
