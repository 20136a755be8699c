import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
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
