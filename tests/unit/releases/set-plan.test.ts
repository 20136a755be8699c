import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import type { PromotePreview, PromoteRequest } from '../../../src/shared/models/deploys'
import { planSet } from '../../../src/main/core/releases/set-plan'
import { workspace } from '../deploy/fixtures'

/*
 * Planning a set: the steps come in dependency waves, each judged by the single promote's preview (here a port that
 * answers as the runner would); a refused dependency refuses its dependents, a service already there is skipped
 * whatever else holds its target, and a source that cannot be read refuses its service.
 */
describe('planSet', () => {
  const estate = workspace()
  const service = (name: string, dependsOn?: string[]) => ({
    name,
    repo: { url: `http://git.test/${name}.git` },
    defaultBranch: 'master',
    environments: {},
    ...(dependsOn ? { dependsOn } : {}),
  })
  estate.services = [service('db'), service('api', ['db']), service('web', ['api']), service('mail'), service('cron')]
  estate.settings.parallelDeploys = 3
  const staging: Record<string, string | undefined> = {
    db: 'd'.repeat(40),
    api: 'a'.repeat(40),
    web: 'b'.repeat(40),
    mail: 'c'.repeat(40),
    cron: undefined,
  }
  const asked: PromoteRequest[] = []
  const previewer = {
    preview(request: PromoteRequest): Promise<PromotePreview> {
      asked.push(request)
      const base = { service: request.service, environment: request.environment, sha: request.target, removes: [] }
      if (request.service === 'db')
        return Promise.resolve({
          ...base,
          kind: 'rollback',
          commits: [],
          blockers: [new AppError('not-a-descendant', 'db would go backwards').toData()],
        })
      if (request.service === 'mail')
        return Promise.resolve({
          ...base,
          kind: 'redeploy',
          commits: [],
          blockers: [new AppError('locked', 'mail is locked').toData()],
        })
      return Promise.resolve({ ...base, kind: 'forward', commits: [], blockers: [] })
    },
  }

  it('refuses what depends on a refused step, skips what is already there, and never guesses a source', async () => {
    const plan = await planSet(
      { from: 'qa', to: 'production', overrideLock: { reason: 'release day' } },
      { workspace: estate, sourceSha: (s) => Promise.resolve(staging[s]), previewer },
    )
    expect(plan.parallel).toBe(3)
    expect(plan.steps.map((s) => [s.service, s.wave, s.verdict, s.blockers.map((b) => b.code)])).toEqual([
      ['db', 0, 'refused', ['not-a-descendant']],
      ['mail', 0, 'already-there', ['locked']],
      ['cron', 0, 'refused', ['current-unknown']],
      ['api', 1, 'refused', ['deploy-conflict']],
      ['web', 2, 'refused', ['deploy-conflict']],
    ])
    expect(plan.steps.find((s) => s.service === 'web')?.blockers[0]?.message).toMatch(/depends on api/)
    // The source that could not be read is never previewed; each preview carries the lock override.
    expect(asked.map((r) => r.service).sort()).toEqual(['api', 'db', 'mail', 'web'])
    expect(asked.every((r) => r.overrideLock?.reason === 'release day')).toBe(true)
  })

  it('takes pinned SHAs over the source, and refuses an unknown environment', async () => {
    asked.length = 0
    const plan = await planSet(
      { to: 'production', services: ['api'], shas: { api: 'feature-x' } },
      { workspace: estate, sourceSha: () => Promise.resolve(undefined), previewer },
    )
    expect(plan.steps.map((s) => [s.service, s.sha, s.verdict])).toEqual([['api', 'feature-x', 'ships']])
    await expect(
      planSet(
        { from: 'nowhere', to: 'production' },
        { workspace: estate, sourceSha: () => Promise.resolve(undefined), previewer },
      ),
    ).rejects.toThrow(/no environment "nowhere"/)
  })
})
