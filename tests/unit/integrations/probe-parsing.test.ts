import { describe, expect, it } from 'vitest'
import { parseArgstring } from '../../../src/main/core/integrations/rundeck/argstring'
import { globToRegExp } from '../../../src/main/core/integrations/git-ref/probe'
import { jobPath } from '../../../src/main/core/integrations/jenkins/session'
import { atPointer } from '../../../src/main/core/integrations/version-page/json-pointer'

describe('atPointer (RFC 6901)', () => {
  const doc = { foo: ['bar', 'baz'], '': 0, 'a/b': 1, 'm~n': 8, git: { commit: { id: 'df027cf' } } }
  it.each([
    ['', doc],
    ['/foo', ['bar', 'baz']],
    ['/foo/0', 'bar'],
    ['/', 0],
    ['/a~1b', 1],
    ['/m~0n', 8],
    ['/git/commit/id', 'df027cf'],
  ])('%s', (pointer, expected) => {
    expect(atPointer(doc, pointer)).toEqual(expected)
  })
  it('finds nothing past the data, at a bad index, or in a prototype', () => {
    expect(atPointer(doc, '/foo/2')).toBeUndefined()
    expect(atPointer(doc, '/foo/01')).toBeUndefined()
    expect(atPointer(doc, '/git/commit/id/x')).toBeUndefined()
    expect(atPointer(doc, '/constructor')).toBeUndefined()
    expect(atPointer({ '~1': 'tilde-one' }, '/~01')).toBe('tilde-one')
  })
  it('rejects a pointer without a leading slash', () => {
    expect(() => atPointer(doc, 'foo')).toThrow(SyntaxError)
  })
})

describe('parseArgstring (Rundeck)', () => {
  it('reads flags, quoted values and empty flags', () => {
    expect(parseArgstring('-SHA 3f2a9c1d0e -ENV production')).toEqual({ SHA: '3f2a9c1d0e', ENV: 'production' })
    expect(parseArgstring(`-ENV "eu west" -NOTE 'a b' -DRY -SHA abc`)).toEqual({
      ENV: 'eu west',
      NOTE: 'a b',
      DRY: '',
      SHA: 'abc',
    })
    expect(parseArgstring('-DELTA -1 -X y')).toEqual({ DELTA: '-1', X: 'y' })
    expect(parseArgstring(null)).toEqual({})
  })
})

describe('globToRegExp and jobPath', () => {
  it('matches tag globs without crossing slashes', () => {
    expect(globToRegExp('release_*').test('release_1234')).toBe(true)
    expect(globToRegExp('release_*').test('release/1')).toBe(false)
    expect(globToRegExp('v?.[0-9]').test('v1.2')).toBe(true)
    expect(globToRegExp('v1.0').test('v1x0')).toBe(false)
  })
  it('nests folder jobs and encodes each name as it is; a job written as its URL path is already encoded', () => {
    expect(jobPath('apps/web app/deploy')).toBe('job/apps/job/web%20app/job/deploy/')
    // A multibranch job of branch feature/x is named feature%2Fx: the name is encoded once more.
    expect(jobPath('app/feature%2Fx')).toBe('job/app/job/feature%252Fx/')
    expect(jobPath('job/app/job/feature%252Fx')).toBe('job/app/job/feature%252Fx/')
    expect(jobPath('job/apps/job/web%20app/')).toBe('job/apps/job/web%20app/')
  })
})
