import { describe, expect, it } from 'vitest'
import type { ProbeResult } from '../../../src/shared/models/environments'
import type { Region, TrainSettings } from '../../../src/shared/models/workspace'
import { promotePlan, trainBoard } from '../../../src/main/core/trains/board'
import { trainContext } from '../../../src/main/core/trains/context'
import { hotfixBranchName, regionOfHotfixBranch } from '../../../src/main/core/trains/hotfix-branch'
import type { TrainInputs } from '../../../src/main/core/trains/ports'
import { FakeHistory } from './fake-history'

const settings: TrainSettings = {
  timezone: 'Europe/London',
  cut: { day: 'thursday', time: '24:00' },
  deploy: { day: 'friday', time: '10:00' },
  names: ['ALICIA', 'BERTHA', 'CHARLIE'],
  anchor: { date: '2026-01-01', name: 'ALICIA' },
  seasoningDays: 7,
  regions: [
    { region: 'uk', lag: 0 },
    { region: 'us', lag: 1 },
  ],
  hotfixBranch: '{region}-release',
  serviceOrder: ['docs'],
}
const regions: Region[] = [
  { name: 'uk', label: 'UK', path: ['qa', 'prod-uk'], production: ['prod-uk'] },
  { name: 'us', label: 'US', path: ['prod-us'], production: ['prod-us'] },
]

// api changes every week; docs never changes after its first commit, so every train shares its SHA.
function history(): FakeHistory {
  const h = new FakeHistory()
  h.add('api', 'master', { sha: 'a0', parents: [], time: '2025-12-30T09:00:00Z' })
  h.add('api', 'master', { sha: 'a1', parents: ['a0'], time: '2026-01-05T09:00:00Z' })
  h.add('api', 'master', { sha: 'a2', parents: ['a1'], time: '2026-01-12T09:00:00Z' })
  h.add('docs', 'master', { sha: 'd0', parents: [], time: '2025-12-30T09:00:00Z' })
  return h
}

function inputs(now: string, running: Record<string, string>, h = history()): TrainInputs {
  const probes: ProbeResult[] = Object.entries(running).map(([key, sha]) => {
    const [service = '', environment = ''] = key.split('@')
    return { service, environment, sha, asOf: now, cached: false }
  })
  return {
    now: new Date(now),
    settings,
    services: ['api', 'docs'].map((name) => ({ name, defaultBranch: 'master', environments: {} })),
    regions,
    probes,
    journal: [],
    hotfixBranches: [],
    manualCuts: [],
    ports: h.ports(),
  }
}

describe('placing SHAs among trains', () => {
  it('lets trains that share a SHA all run it, and knows no train for an unrelated SHA', () => {
    const ctx = trainContext(inputs('2026-01-13T09:00:00Z', {}))
    expect(
      ctx.placer
        .place('docs', 'd0')
        ?.trains.map((t) => t.name)
        .slice(-2),
    ).toEqual(['ALICIA', 'BERTHA'])
    expect(ctx.placer.place('api', 'a1')).toMatchObject({ base: 'a1', kind: 'exact' })
    expect(ctx.placer.place('api', 'a2')).toMatchObject({ base: 'a1', kind: 'ahead' })
    expect(ctx.placer.place('api', 'zz')).toBeUndefined()
  })

  it('names the region train from the services that changed, and says no-sha or no-train otherwise', () => {
    const board = trainBoard(
      inputs('2026-01-13T09:00:00Z', { 'api@prod-uk': 'a1', 'docs@prod-uk': 'd0', 'api@prod-us': 'zz' }),
    )
    const [uk, us] = board.regions
    expect(uk?.current?.name).toBe('BERTHA')
    expect(us?.current).toBeUndefined()
    expect(us?.cells.map((c) => c.unknown)).toEqual(['no-train', 'no-sha'])
  })
})

describe('seasoning when the journal is silent', () => {
  it('assumes the schedule: the current train since its deploy slot, an older one until the next slot', () => {
    const board = trainBoard(inputs('2026-01-13T09:00:00Z', { 'api@prod-uk': 'a1', 'docs@prod-uk': 'd0' }))
    const uk = board.regions[0]
    expect(uk?.seasoning).toMatchObject({ since: '2026-01-09T10:00:00.000Z', sinceFrom: 'schedule', done: false })
    const alicia = board.trains.find((t) => t.train.name === 'ALICIA' && t.train.week === 0)
    expect(alicia?.seasoning).toMatchObject({ endedAt: '2026-01-09T10:00:00.000Z', done: true })
    expect(alicia?.phase).toBe('seasoned')
    // The US runs nothing known yet: it would get the seasoned ALICIA as a first deploy, docs first.
    const us = board.regions[1]
    expect(us?.next?.name).toBe('ALICIA')
    expect(us?.dryRun.steps).toEqual([
      { service: 'docs', environment: 'prod-us', sha: 'd0' },
      { service: 'api', environment: 'prod-us', sha: 'a0' },
    ])
  })
})

describe('promote plans', () => {
  it('skips a service whose production is past the train, since the guard would refuse it', () => {
    const i = inputs('2026-01-16T12:00:00Z', { 'api@prod-us': 'a2', 'docs@prod-us': 'd0' })
    const alicia = trainContext(i).cut.find((t) => t.week === 0)
    const plan = promotePlan(i, 'us', alicia?.id ?? '')
    expect(plan.summary).toBe('US would receive nothing of ALICIA; skips `api`: not a descendant of what runs there')
    expect(plan.steps).toEqual([])
  })

  it('refuses an unknown train or region', () => {
    const i = inputs('2026-01-16T12:00:00Z', {})
    expect(() => promotePlan(i, 'us', 'ZELDA@2026-01-01T00:00:00.000Z')).toThrow(/No recent cut train/)
    expect(() => promotePlan(i, 'mars', 'x')).toThrow(/No region/)
  })

  it('refuses train settings that name a region the workspace lacks', () => {
    const i = inputs('2026-01-16T12:00:00Z', {})
    expect(() => trainBoard({ ...i, settings: { ...settings, regions: [{ region: 'eu', lag: 0 }] } })).toThrow(/"eu"/)
  })
})

describe('hotfix branch names', () => {
  it('reads the region through the pattern, both ways', () => {
    expect(regionOfHotfixBranch(settings, 'us-release')).toBe('us')
    expect(regionOfHotfixBranch(settings, 'release-us')).toBeUndefined()
    expect(regionOfHotfixBranch({ ...settings, hotfixBranch: 'hotfix/{region}' }, 'hotfix/uk')).toBe('uk')
    expect(regionOfHotfixBranch(settings, 'eu-release')).toBeUndefined()
    expect(hotfixBranchName({ hotfixBranch: 'hotfix/{region}' }, 'us')).toBe('hotfix/us')
  })
})
