import { describe, expect, it } from 'vitest'
import type { Service } from '../../../src/shared/models/workspace'
import { deployWaves } from '../../../src/main/core/releases/deploy-order'

const service = (name: string, dependsOn?: string[]): Service => ({
  name,
  repo: { url: `https://git.test/${name}.git` },
  defaultBranch: 'main',
  environments: {},
  ...(dependsOn ? { dependsOn } : {}),
})

// web needs api and auth; api needs db; auth and db need nothing; mail is on its own.
const estate = [
  service('web', ['api', 'auth']),
  service('api', ['db']),
  service('auth'),
  service('db'),
  service('mail'),
]

describe('deployWaves', () => {
  it('puts every service after what it depends on, independent ones together, in file order', () => {
    expect(deployWaves(estate, ['web', 'api', 'auth', 'db', 'mail'])).toEqual([
      ['auth', 'db', 'mail'],
      ['api'],
      ['web'],
    ])
  })

  it('ignores dependencies that are not being deployed (only direct ones order a set)', () => {
    expect(deployWaves(estate, ['db', 'api'])).toEqual([['db'], ['api']])
    expect(deployWaves(estate, ['web', 'db'])).toEqual([['web', 'db']])
    expect(deployWaves(estate, ['web', 'mail'])).toEqual([['web', 'mail']])
  })

  it('refuses an unknown service and a cycle', () => {
    expect(() => deployWaves(estate, ['web', 'nope'])).toThrow(/"nope"/)
    expect(() => deployWaves([service('a', ['b']), service('b', ['a'])], ['a', 'b'])).toThrow(/a → b → a/)
  })
})
