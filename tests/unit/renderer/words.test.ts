import { describe, expect, it } from 'vitest'
import { cloneWords } from '../../../src/renderer/src/lib/clone-words'
import { codeSpans } from '../../../src/renderer/src/lib/code-spans'
import { formatAgo } from '../../../src/renderer/src/lib/format'
import { moveInGrid } from '../../../src/renderer/src/lib/grid-keys'
import { previewVerdict } from '../../../src/renderer/src/lib/preview-verdict'
import { readableSubject } from '../../../src/renderer/src/lib/readable-subject'
import type { PromotePreview } from '../../../src/shared/models/deploys'

describe('what a cell says about its clone', () => {
  it('queued, cloning with the share of the phase done, failed, nothing once ready', () => {
    expect(cloneWords({ service: 's', state: 'queued' }, undefined)).toBe('queued')
    expect(
      cloneWords(
        { service: 's', state: 'cloning' },
        { service: 's', operation: 'clone', phase: 'Receiving objects', loaded: 42, total: 100 },
      ),
    ).toBe('cloning… 42 %')
    expect(
      cloneWords(
        { service: 's', state: 'cloning' },
        { service: 's', operation: 'clone', phase: 'Analyzing', loaded: 3 },
      ),
    ).toBe('cloning… analyzing')
    expect(cloneWords({ service: 's', state: 'cloning' }, undefined)).toBe('cloning…')
    expect(cloneWords({ service: 's', state: 'failed' }, undefined)).toBe('clone failed')
    expect(cloneWords({ service: 's', state: 'ready' }, undefined)).toBeUndefined()
    expect(cloneWords({ service: 's', state: 'fetching' }, undefined)).toBeUndefined()
  })
})

describe('ages', () => {
  it('reads as a phrase, never "now ago"', () => {
    const now = new Date('2026-03-20T12:00:00Z')
    expect(formatAgo('2026-03-20T11:59:50Z', now)).toBe('just now')
    expect(formatAgo('2026-03-20T11:48:00Z', now)).toBe('12 min ago')
    expect(formatAgo('2026-03-17T12:00:00Z', now)).toBe('3 d ago')
  })
})

describe('moving in the matrix grid', () => {
  const size = { rows: 5, columns: 4 }
  it('moves by arrows within the edges, to row ends with Home/End and corners with Ctrl', () => {
    expect(moveInGrid({ row: 1, column: 0 }, 'ArrowLeft', size)).toEqual({ row: 1, column: 0 })
    expect(moveInGrid({ row: 1, column: 0 }, 'ArrowRight', size)).toEqual({ row: 1, column: 1 })
    expect(moveInGrid({ row: 4, column: 2 }, 'ArrowDown', size)).toEqual({ row: 4, column: 2 })
    expect(moveInGrid({ row: 2, column: 1 }, 'End', size)).toEqual({ row: 2, column: 3 })
    expect(moveInGrid({ row: 2, column: 1 }, 'Home', size, true)).toEqual({ row: 0, column: 0 })
    expect(moveInGrid({ row: 2, column: 1 }, 'PageDown', size)).toEqual({ row: 4, column: 1 })
    expect(moveInGrid({ row: 2, column: 1 }, 'a', size)).toBeUndefined()
  })
})

describe('message text', () => {
  it('shows backticked words as code and keeps a lone backtick', () => {
    expect(codeSpans('add a `trains:` section, then run `trainyard validate`')).toEqual([
      { text: 'add a ', code: false },
      { text: 'trains:', code: true },
      { text: ' section, then run ', code: false },
      { text: 'trainyard validate', code: true },
    ])
    expect(codeSpans('it`s fine')).toEqual([{ text: 'it`s fine', code: false }])
  })

  it('reads a merged pull request by its number and branch', () => {
    expect(readableSubject('Merge pull request #185 from acme/fix-cache-in-api')).toBe('#185 fix-cache-in-api')
    expect(readableSubject('Fix refund rounding (#187)')).toBe('Fix refund rounding (#187)')
  })
})

describe('the verdict of a promote preview', () => {
  const base: PromotePreview = {
    service: 's',
    environment: 'production',
    sha: 'a'.repeat(40),
    kind: 'forward',
    commits: [],
    removes: [],
    blockers: [],
  }
  it('forward, rollback (its own "not a descendant" does not refuse it), refused by any other blocker', () => {
    expect(previewVerdict(base).verdict).toBe('forward')
    const notDescendant = { code: 'not-a-descendant' as const, message: 'goes backwards' }
    expect(previewVerdict({ ...base, kind: 'rollback', blockers: [notDescendant] }).verdict).toBe('rollback')
    const refused = previewVerdict({
      ...base,
      blockers: [{ code: 'deploy-conflict', message: 'staging has not run it successfully' }],
    })
    expect(refused).toMatchObject({ verdict: 'refused', why: 'staging has not run it successfully' })
  })
})
