import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProbeContext } from '../../../../src/main/core/integrations/probe-context'
import { httpProbe } from '../../../../src/main/core/integrations/version-page/probe'
import { startVersionEndpoint } from '../../../../src/main/simulators/version-endpoint'
import type { VersionEndpoint } from '../../../../src/main/simulators/version-endpoint'
import { AppError } from '../../../../src/shared/errors'

const SECRET = 'bearer-Secret-4242-xyz'
const SHA = '3f2a9c1d0e5b7a8c9d0e1f2a3b4c5d6e7f8a9b0c'

let open: VersionEndpoint
let guarded: VersionEndpoint

beforeAll(async () => {
  open = await startVersionEndpoint()
  guarded = await startVersionEndpoint({ token: SECRET })
  open.set('web', 'qa', SHA, 'release_12')
  guarded.set('web', 'production', SHA)
})
afterAll(async () => {
  await open.close()
  await guarded.close()
})

function ctx(timeoutMs = 2000, secrets: Record<string, string> = { 'web-version': SECRET }): ProbeContext {
  return {
    service: 'web',
    environment: 'qa',
    secret: (name) => Promise.resolve(secrets[name]),
    endpoints: {},
    signal: AbortSignal.timeout(timeoutMs),
    fetch,
  }
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(AppError)
  expect(JSON.stringify((e as AppError).toData())).not.toContain(SECRET)
  return e as AppError
}

describe('http probe', () => {
  it('reads a JSON body at a JSON pointer, templates filled', async () => {
    const url = `${open.url}/{service}/{environment}/version.json`
    expect(await httpProbe({ kind: 'http', url, format: 'json', pointer: '/sha' }, ctx())).toEqual({ raw: SHA })
    expect(await httpProbe({ kind: 'http', url, format: 'json', pointer: '/git/commit/id' }, ctx())).toEqual({
      raw: SHA.slice(0, 7),
    })
  })

  it('reads a text body by the first capture group, or the whole match', async () => {
    const url = open.urlFor('web', 'qa', 'text')
    expect(await httpProbe({ kind: 'http', url, format: 'text', pattern: '^revision: ([0-9a-f]+)$' }, ctx())).toEqual({
      raw: SHA,
    })
    expect(await httpProbe({ kind: 'http', url, format: 'text', pattern: '[0-9a-f]{40}' }, ctx())).toEqual({ raw: SHA })
  })

  it('follows a SHA set over HTTP, as a deploy script would', async () => {
    const auth = { authorization: `Bearer ${SECRET}` }
    const put = (body: string) => fetch(guarded.urlFor('api', 'qa', 'text'), { method: 'PUT', headers: auth, body })
    expect((await put('{"sha":"not hex"}')).status).toBe(400)
    expect((await put(JSON.stringify({ sha: SHA, version: 'release_13' }))).status).toBe(204)
    const probe = {
      kind: 'http',
      url: guarded.urlFor('api', 'qa', 'text'),
      format: 'text',
      pattern: 'version: (\\S+)',
      credential: 'web-version',
    } as const
    expect(await httpProbe(probe, ctx())).toEqual({ raw: 'release_13' })
    const index = (await (await fetch(`${guarded.url}/`, { headers: auth })).json()) as { cells: { cell: string }[] }
    expect(index.cells.map((c) => c.cell).sort()).toEqual(['api/qa', 'web/production'])
  })

  it('sends the bearer credential, and names it (not its value) when refused', async () => {
    const url = guarded.urlFor('web', 'production', 'json')
    const probe = { kind: 'http', url, format: 'json', pointer: '/sha', credential: 'web-version' } as const
    expect(await httpProbe(probe, ctx())).toEqual({ raw: SHA })
    const refused = await failure(httpProbe(probe, ctx(2000, { 'web-version': 'wrong-token-value' })))
    expect(refused.code).toBe('auth-failed')
    expect(refused.message).toContain('"web-version"')
    expect(refused.message).not.toContain('wrong-token-value')
    const missing = await failure(httpProbe(probe, ctx(2000, {})))
    expect(missing.code).toBe('credential-missing')
  })

  it('translates 403, 404 and 500', async () => {
    const url = open.urlFor('web', 'qa', 'json')
    const probe = { kind: 'http', url, format: 'json', pointer: '/sha' } as const
    open.fault('web', 'qa', { kind: 'status', status: 403 })
    expect((await failure(httpProbe(probe, ctx()))).code).toBe('auth-failed')
    open.fault('web', 'qa', { kind: 'status', status: 500 })
    const e500 = await failure(httpProbe(probe, ctx()))
    expect(e500.code).toBe('endpoint-unreachable')
    expect(e500.details).toEqual({ status: 500 })
    open.fault('web', 'qa', undefined)
    expect((await failure(httpProbe({ ...probe, url: open.urlFor('web', 'nowhere', 'json') }, ctx()))).code).toBe(
      'not-found',
    )
  })

  it('calls a malformed body, a missing pointer or an unmatched pattern a bad response', async () => {
    const url = open.urlFor('web', 'qa', 'json')
    open.fault('web', 'qa', { kind: 'malformed' })
    try {
      expect((await failure(httpProbe({ kind: 'http', url, format: 'json', pointer: '/sha' }, ctx()))).code).toBe(
        'bad-response',
      )
      const text = open.urlFor('web', 'qa', 'text')
      expect(
        (await failure(httpProbe({ kind: 'http', url: text, format: 'text', pattern: 'revision: (\\w+)' }, ctx())))
          .code,
      ).toBe('bad-response')
    } finally {
      open.fault('web', 'qa', undefined)
    }
    expect((await failure(httpProbe({ kind: 'http', url, format: 'json', pointer: '/nope' }, ctx()))).code).toBe(
      'bad-response',
    )
    expect((await failure(httpProbe({ kind: 'http', url, format: 'json', pointer: 'sha' }, ctx()))).code).toBe(
      'invalid-workspace',
    )
  })

  it('times out on a server that never answers, and reports an unreachable one', async () => {
    open.fault('web', 'qa', { kind: 'hang' })
    try {
      const e = await failure(
        httpProbe({ kind: 'http', url: open.urlFor('web', 'qa', 'json'), format: 'json', pointer: '/sha' }, ctx(100)),
      )
      expect(e.code).toBe('timeout')
    } finally {
      open.fault('web', 'qa', undefined)
    }
    const closed = await startVersionEndpoint()
    const url = closed.urlFor('web', 'qa', 'json')
    await closed.close()
    const e = await failure(httpProbe({ kind: 'http', url, format: 'json', pointer: '/sha' }, ctx()))
    expect(e.code).toBe('endpoint-unreachable')
    expect(e.message).toContain('ECONNREFUSED')
  })
})
