import { describe, expect, it } from 'vitest'
import { followRedirect, MAX_REDIRECTS } from '../../../src/main/core/http/redirect-policy'

const secretHeaders = { Authorization: 'Bearer s3cret', 'X-Rundeck-Auth-Token': 'tok', Accept: 'application/json' }

describe('the redirect policy shared by every HTTP client', () => {
  it('keeps credentials on the same origin', () => {
    const next = followRedirect('https://ci.example/a', '/b', secretHeaders, 0)
    expect(next.url.toString()).toBe('https://ci.example/b')
    expect(next.headers).toEqual(secretHeaders)
  })

  it('drops every credential header and user-info when the host or port changes', () => {
    for (const target of ['https://evil.example/x', 'https://ci.example:8443/x', 'https://u:p@other.example/x']) {
      const next = followRedirect('https://ci.example/a', target, secretHeaders, 0)
      expect(next.headers).toEqual({ Accept: 'application/json' })
      expect(next.url.username).toBe('')
      expect(next.url.password).toBe('')
    }
  })

  it('refuses https to http, other schemes and too many hops', () => {
    expect(() => followRedirect('https://ci.example/a', 'http://ci.example/a', {}, 0)).toThrow(/never downgrades/)
    expect(() => followRedirect('http://ci.example/a', 'file:///etc/passwd', {}, 0)).toThrow(/only http/)
    expect(() => followRedirect('http://ci.example/a', '/b', {}, MAX_REDIRECTS)).toThrow(/more than/)
  })

  it('lets plain http move to https on the same host but treats it as another origin', () => {
    const next = followRedirect('http://ci.example/a', 'https://ci.example/a', secretHeaders, 1)
    expect(next.url.protocol).toBe('https:')
    expect(next.headers).toEqual({ Accept: 'application/json' })
  })
})
