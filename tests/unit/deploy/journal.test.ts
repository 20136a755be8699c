import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeployJournal } from '../../../src/main/core/deploy/journal'
import { RunLogs } from '../../../src/main/core/deploy/run-logs'
import type { DeployRun } from '../../../src/shared/models/deploys'
import { removeDir, tmpDir } from '../../support/git-repo'
import { sha } from './fixtures'

const at = new Date('2024-05-01T10:00:00Z')
const run: DeployRun = {
  id: '20240501T100000Z-0000abcd',
  service: 'web',
  environment: 'qa',
  sha: sha(2),
  provider: 'rundeck',
  state: 'pending',
  requestedBy: 'ana',
  requestedAt: at.toISOString(),
}

describe('DeployJournal', () => {
  let dir: string
  let file: string
  beforeEach(() => {
    dir = tmpDir()
    file = join(dir, 'journal.jsonl')
  })
  afterEach(() => removeDir(dir))

  it('writes one JSON line per event and rebuilds the run on reopen', () => {
    const journal = DeployJournal.open(file)
    journal.append({ kind: 'requested', run }, at)
    journal.append({ kind: 'triggering', runId: run.id }, at)
    journal.append(
      { kind: 'triggered', runId: run.id, ref: { provider: 'rundeck', id: '7' }, change: { state: 'queued' } },
      at,
    )
    journal.append(
      { kind: 'ended', runId: run.id, change: { state: 'succeeded', endedAt: '2024-05-01T10:02:00.000Z' } },
      at,
    )
    journal.close()
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; v: number })
    expect(lines.map((l) => l.kind)).toEqual(['requested', 'triggering', 'triggered', 'ended'])
    expect(lines.every((l) => l.v === 1)).toBe(true)

    const again = DeployJournal.open(file)
    const record = again.get(run.id)
    expect(record?.run.state).toBe('succeeded')
    expect(record?.ref).toEqual({ provider: 'rundeck', id: '7' })
    expect(record?.triggering).toBe(true)
    expect(again.notes).toEqual([])
    again.close()
  })

  it('ignores a torn last line, notes it, and keeps appending cleanly', () => {
    const journal = DeployJournal.open(file)
    journal.append({ kind: 'requested', run }, at)
    journal.close()
    appendFileSync(file, '{"v":1,"at":"2024-05-01T10:00:00.000Z","kind":"trigg')

    const reopened = DeployJournal.open(file)
    expect(reopened.notes).toEqual([expect.stringMatching(/torn by a crash \(52 bytes at the end\)/)])
    expect(reopened.get(run.id)?.run.state).toBe('pending')
    reopened.append({ kind: 'triggering', runId: run.id }, at)
    reopened.close()

    const third = DeployJournal.open(file)
    expect(third.notes).toEqual([])
    expect(third.get(run.id)?.triggering).toBe(true)
    third.close()
  })

  it('skips an unreadable line in the middle and says which', () => {
    writeFileSync(file, `${JSON.stringify({ v: 1, at: at.toISOString(), kind: 'requested', run })}\nnot json\n`)
    const journal = DeployJournal.open(file)
    expect(journal.notes).toEqual([expect.stringMatching(/unreadable line at byte \d+ \(8 bytes\)/)])
    expect(journal.all()).toHaveLength(1)
    journal.close()
  })

  it('records a settled unknown run with who settled it and why', () => {
    const journal = DeployJournal.open(file)
    journal.append({ kind: 'requested', run }, at)
    journal.append({ kind: 'changed', runId: run.id, change: { state: 'unknown' } }, at)
    journal.append({ kind: 'resolved', runId: run.id, state: 'failed', note: 'no execution in Rundeck', by: 'ana' }, at)
    journal.close()
    const again = DeployJournal.open(file)
    expect(again.get(run.id)?.run).toMatchObject({
      state: 'failed',
      detail: 'settled by ana: no execution in Rundeck',
      endedAt: at.toISOString(),
    })
    again.close()
  })
})

describe('DeployJournal kept small and shared', () => {
  let dir: string
  let file: string
  beforeEach(() => {
    dir = tmpDir()
    file = join(dir, 'journal.jsonl')
  })
  afterEach(() => removeDir(dir))

  const runOf = (n: number, environment: string): DeployRun => ({
    ...run,
    id: `20240501T1000${String(n).padStart(2, '0')}Z-0000abcd`,
    environment,
    requestedAt: `2024-05-01T10:00:${String(n).padStart(2, '0')}.000Z`,
  })
  const finish = (journal: DeployJournal, r: DeployRun, state: 'succeeded' | 'failed' | null): void => {
    journal.append({ kind: 'requested', run: r }, at)
    journal.append({ kind: 'triggering', runId: r.id }, at)
    journal.append(
      { kind: 'triggered', runId: r.id, ref: { provider: 'rundeck', id: r.id }, change: { state: 'queued' } },
      at,
    )
    journal.append({ kind: 'changed', runId: r.id, change: { state: 'running' } }, at)
    if (state) journal.append({ kind: 'ended', runId: r.id, change: { state } }, at)
  }
  const lines = (): string[] => readFileSync(file, 'utf8').trimEnd().split('\n')

  it('compacts once long: one snapshot line per run, written aside and renamed, nothing lost', () => {
    const journal = DeployJournal.open(file, { compactAbove: 12 })
    for (let n = 0; n < 8; n++) finish(journal, runOf(n, 'qa'), n % 2 === 0 ? 'succeeded' : 'failed')
    const before = journal.all().map((r) => ({ ...r.run }))
    expect(lines().length).toBeLessThan(8 * 5)
    journal.close()
    const again = DeployJournal.open(file)
    expect(again.all().map((r) => r.run)).toEqual(before)
    again.close()
    expect(readdirSync(dir).sort()).toEqual(['journal.jsonl'])
  })

  it('drops the oldest finished runs past the limit, never an unfinished run or a target’s last success', () => {
    const journal = DeployJournal.open(file, { compactAbove: 1, keepFinished: 2 })
    finish(journal, runOf(1, 'qa'), 'succeeded')
    finish(journal, runOf(2, 'dev'), null)
    for (let n = 3; n < 7; n++) finish(journal, runOf(n, 'qa'), 'failed')
    journal.sync()
    expect(journal.all().map((r) => [r.run.id.slice(13, 15), r.run.environment, r.run.state])).toEqual([
      ['01', 'qa', 'succeeded'],
      ['02', 'dev', 'running'],
      ['05', 'qa', 'failed'],
      ['06', 'qa', 'failed'],
    ])
    expect(lines()).toHaveLength(4)
    journal.close()
  })

  it('two journals on one file (two processes) see each other’s lines and compactions, keeping their records', () => {
    const one = DeployJournal.open(file, { compactAbove: 6 })
    const two = DeployJournal.open(file, { compactAbove: 6 })
    const first = runOf(1, 'qa')
    one.append({ kind: 'requested', run: first }, at)
    two.sync()
    const held = two.get(first.id)
    expect(held?.run.state).toBe('pending')
    two.append({ kind: 'triggering', runId: first.id }, at)
    one.sync()
    expect(one.get(first.id)?.triggering).toBe(true)
    // Enough lines for `one` to compact: `two` notices the new file and keeps the very record object it hands out.
    for (let n = 2; n < 6; n++) finish(one, runOf(n, 'dev'), 'succeeded')
    one.append({ kind: 'changed', runId: first.id, change: { state: 'running' } }, at)
    two.sync()
    expect(two.get(first.id)).toBe(held)
    expect(held?.run.state).toBe('running')
    expect(two.all().map((r) => r.run.id)).toEqual(one.all().map((r) => r.run.id))
    expect(two.notes).toEqual([])
    one.close()
    two.close()
  })
})

describe('RunLogs', () => {
  it('keeps lines per run in a file a restart can count, and refuses ids that are not file names', () => {
    const dir = tmpDir()
    try {
      const logs = new RunLogs(dir)
      expect(logs.append('demo-lx3k-1', ['a', 'b\nc'])).toBe(0)
      expect(logs.append('demo-lx3k-1', ['d'])).toBe(2)
      expect(new RunLogs(dir).lines('demo-lx3k-1')).toEqual(['a', 'b c', 'd'])
      expect(() => logs.lines('../journal')).toThrow(/not a run id/)
    } finally {
      removeDir(dir)
    }
  })
})
