import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EventHub } from '../../../src/main/core/events'
import { memoryLogger } from '../../../src/main/core/logger'
import { GitHubLedgers } from '../../../src/main/core/integrations/github/ledgers'
import { startGitHubSimulator, type GitHubSimulator } from '../../../src/main/simulators/github-simulator'
import { isFinal, isStopped, type DeployRun, type DeployState } from '../../../src/shared/models/deploys'
import { sha, workspace } from '../../unit/deploy/fixtures'

const STATES: DeployState[] = [
  'pending',
  'triggering',
  'queued',
  'running',
  'succeeded',
  'failed',
  'aborted',
  'unknown',
]

/* "Run is finished" has one home (shared/models/deploys): final ends a GitHub record; stopped ends a wait. */
describe('when a deploy run is finished', () => {
  it('final: succeeded, failed, aborted; stopped: those and unknown', () => {
    expect(STATES.filter(isFinal)).toEqual(['succeeded', 'failed', 'aborted'])
    expect(STATES.filter(isStopped)).toEqual(['succeeded', 'failed', 'aborted', 'unknown'])
  })

  describe('in the GitHub Deployments ledger', () => {
    let github: GitHubSimulator
    const token = 'ghp_runStatesToken000000000000000000001'
    beforeAll(async () => {
      github = await startGitHubSimulator({ tokens: { [token]: 'release-bot' } })
      github.addRepo('acme', 'web')
    })
    afterAll(() => github.close())

    it('an unknown run keeps its deployment in progress; settled, it ends as what it was', async () => {
      const ws = workspace()
      ws.endpoints.github = { kind: 'github', url: github.url, credential: 'gh' }
      ws.services = ws.services.map((s) => ({ ...s, github: { owner: 'acme', repo: 'web' } }))
      const events = new EventHub()
      const ledgers = new GitHubLedgers(ws, {
        secret: (name) => Promise.resolve(name === 'gh' ? token : undefined),
        events,
        logger: memoryLogger(),
      })
      const run: DeployRun = {
        id: '20260504T100000Z-0000beef',
        service: 'web',
        environment: 'qa',
        sha: sha(3),
        provider: 'rundeck',
        state: 'running',
        requestedBy: 'ana',
        requestedAt: '2026-05-04T10:00:00.000Z',
      }
      const statuses = async (count: number): Promise<string[]> => {
        for (let i = 0; i < 200; i++) {
          const found = github.deployments('acme', 'web')[0]?.statuses.map((s) => s.state) ?? []
          if (found.length >= count) return found
          await new Promise((r) => setTimeout(r, 25))
        }
        return github.deployments('acme', 'web')[0]?.statuses.map((s) => s.state) ?? []
      }
      events.emit('deploys.changed', { run })
      expect(await statuses(1)).toEqual(['in_progress'])
      // The provider lost the run: nobody knows yet whether it deployed.
      events.emit('deploys.changed', { run: { ...run, state: 'unknown' } })
      // A person checked Rundeck: it did.
      events.emit('deploys.changed', { run: { ...run, state: 'succeeded', detail: 'settled by ana: it ran' } })
      expect(await statuses(2)).toEqual(['in_progress', 'success'])
      ledgers.close()
    })
  })
})
