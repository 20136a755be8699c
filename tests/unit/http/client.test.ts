import { describe, expect, it } from 'vitest'
import { request, type FetchLike } from '../../../src/main/core/http/client'
import { failure } from '../../support/failure'

/** A fetch port answering from a table of URL → response, recording every URL and header set it was asked for. */
function table(answers: Record<string, () => Response>): {
  fetch: FetchLike
  asked: { url: string; headers: Headers }[]
} {
  const asked: { url: string; headers: Headers }[] = []
  const fetch: FetchLike = (input, init) => {
    const url = input instanceof Request ? input.url : input.toString()
    asked.push({ url, headers: new Headers(init?.headers) })
    const answer = answers[url]
    return Promise.resolve(answer ? answer() : new Response('nothing here', { status: 404 }))
  }
  return { fetch, asked }
}

const redirect =
  (location: string, status = 302) =>
  () =>
    new Response(null, { status, headers: { location } })

describe('the one HTTP client', () => {
  it('never follows https to http, and never asks the http address', async () => {
    const port = table({ 'https://ci.example/a': redirect('http://ci.example/a') })
    const error = await failure(request({ label: 'CI', fetch: port.fetch }, 'https://ci.example/a'))
    expect(error.code).toBe('bad-response')
    expect(error.message).toMatch(/never downgrades/)
    expect(port.asked.map((a) => a.url)).toEqual(['https://ci.example/a'])
  })

  it('drops the credential on another origin and keeps it on the same one', async () => {
    const port = table({
      'https://ci.example/a': redirect('/b', 307),
      'https://ci.example/b': redirect('https://cdn.example/c'),
      'https://cdn.example/c': () => new Response('ok'),
    })
    const answer = await request({ label: 'CI', fetch: port.fetch }, 'https://ci.example/a', {
      headers: { 'x-rundeck-auth-token': 'tok', accept: 'text/plain' },
    })
    expect(answer.text).toBe('ok')
    expect(answer.url).toBe('https://cdn.example/c')
    expect(port.asked.map((a) => a.headers.get('x-rundeck-auth-token'))).toEqual(['tok', 'tok', null])
    expect(port.asked[2]?.headers.get('accept')).toBe('text/plain')
  })

  it("hands a POST's redirect back to the caller instead of following it", async () => {
    const port = table({ 'https://ci.example/job/x/build': redirect('https://ci.example/queue/item/7/', 303) })
    const answer = await request({ label: 'CI', fetch: port.fetch }, 'https://ci.example/job/x/build', {
      method: 'POST',
    })
    expect(answer.status).toBe(303)
    expect(answer.headers.get('location')).toBe('https://ci.example/queue/item/7/')
    expect(port.asked).toHaveLength(1)
  })

  it('refuses a body declared or found longer than the limit', async () => {
    const big = 'x'.repeat(2048)
    const port = table({
      'https://a.example/declared': () => new Response(big, { headers: { 'content-length': String(big.length) } }),
      'https://a.example/streamed': () => new Response(new Blob([big]).stream()),
    })
    for (const path of ['declared', 'streamed']) {
      const error = await failure(
        request({ label: 'A', fetch: port.fetch }, `https://a.example/${path}`, { maxBodyBytes: 1024 }),
      )
      expect(error).toMatchObject({ code: 'bad-response', details: { limitBytes: 1024 } })
    }
    const ok = await request({ label: 'A', fetch: port.fetch }, 'https://a.example/streamed', { maxBodyBytes: 4096 })
    expect(ok.text).toBe(big)
  })
})
