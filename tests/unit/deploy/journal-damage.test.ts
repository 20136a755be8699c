import { copyFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeployJournal } from '../../../src/main/core/deploy/journal'
import type { DeployRun } from '../../../src/shared/models/deploys'
import { removeDir, tmpDir } from '../../support/git-repo'
import { sha } from './fixtures'

const FIXTURES = join(import.meta.dirname, '../../fixtures/journals')
const A = '20260504T100000Z-0000000a'
const B = '20260504T101000Z-0000000b'

/*
 * Damaged journals as files (tests/fixtures/journals/, made by killing writers and overwriting bytes): what was
 * skipped is said, its bytes are kept aside, every run that can be rebuilt stays, and the journal is rewritten clean.
 */
describe('a damaged deploy journal', () => {
  let dir: string
  let file: string
  beforeEach(() => {
    dir = tmpDir()
    file = join(dir, 'journal.jsonl')
  })
  afterEach(() => removeDir(dir))

  const open = (fixture: string): { journal: DeployJournal; original: Buffer } => {
    copyFileSync(join(FIXTURES, fixture), file)
    const original = readFileSync(file)
    return { journal: DeployJournal.open(file), original }
  }
  const states = (journal: DeployJournal): [string, string, string][] =>
    journal.all().map((r) => [r.run.id, r.run.environment, r.run.state])
  const aside = (): Buffer => readFileSync(`${file}.damaged`)

  /** After the damage was dealt with, the journal reopens clean and the side file does not grow again. */
  const expectClean = (runs: [string, string, string][]): void => {
    const kept = aside()
    const again = DeployJournal.open(file)
    expect(again.notes).toEqual([])
    expect(states(again)).toEqual(runs)
    again.close()
    expect(aside()).toEqual(kept)
  }

  it('a torn last line: said, kept aside byte for byte, cut off', () => {
    const { journal, original } = open('torn-tail.jsonl')
    expect(journal.notes).toEqual([
      'deploy journal: skipped a line torn by a crash (90 bytes at the end); its bytes are kept in journal.jsonl.damaged',
    ])
    expect(aside().includes(original.subarray(original.length - 90))).toBe(true)
    expect(states(journal)).toEqual([
      [A, 'staging', 'succeeded'],
      [B, 'production', 'failed'],
    ])
    journal.close()
    expectClean(states(DeployJournal.open(file)))
  })

  it('a damaged request line of a finished run: the run is rebuilt from its later lines, not lost', () => {
    const { journal, original } = open('damaged-request.jsonl')
    const firstLine = original.subarray(0, original.indexOf(0x0a))
    expect(journal.notes).toEqual([
      `deploy journal: skipped an unreadable line at byte 0 (${firstLine.length} bytes); its bytes are kept in journal.jsonl.damaged`,
    ])
    expect(aside().includes(firstLine)).toBe(true)
    const rebuilt = journal.get(A)?.run
    expect(rebuilt).toMatchObject<Partial<DeployRun>>({
      service: 'billing',
      environment: 'staging',
      sha: sha(11),
      state: 'succeeded',
      url: 'https://rundeck.example/execution/show/0',
    })
    expect(states(journal)).toEqual([
      [A, 'staging', 'succeeded'],
      [B, 'production', 'failed'],
    ])
    journal.close()
    expectClean([
      [A, 'staging', 'succeeded'],
      [B, 'production', 'failed'],
    ])
  })

  it('a torn line glued to the next one: the next line is read, the torn bytes kept aside', () => {
    const { journal } = open('glued-lines.jsonl')
    expect(journal.notes).toEqual([
      expect.stringMatching(/^deploy journal: skipped a torn line at byte \d+ \(33 bytes\)/),
    ])
    expect(aside().toString()).toContain(`\n{"v":1,"at":"2026-05-04T10:10:00.\n`)
    // Only the torn bytes went aside: the line after the tear (B starts running) was read.
    expect(aside().toString()).not.toContain('"kind":"changed"')
    expect(journal.get(B)?.run).toMatchObject({ state: 'failed', startedAt: '2026-05-04T10:10:00.000Z' })
    journal.close()
    expectClean([
      [A, 'staging', 'succeeded'],
      [B, 'production', 'failed'],
    ])
  })

  it('binary garbage in the middle: kept aside exactly as it was', () => {
    const { journal } = open('binary-garbage.jsonl')
    expect(journal.notes).toEqual([expect.stringMatching(/unreadable line at byte \d+ \(6 bytes\)/)])
    expect(aside().includes(Buffer.from([0x0a, 0xff, 0xfe, 0x00, 0x9c, 0x41, 0x80, 0x0a]))).toBe(true)
    journal.close()
    expectClean([
      [A, 'staging', 'succeeded'],
      [B, 'production', 'failed'],
    ])
  })

  it('lines that parse but are not journal lines: each skipped and said, none breaks replay', () => {
    const { journal } = open('wrong-shape.jsonl')
    expect(journal.notes).toHaveLength(5)
    expect(journal.notes.every((n) => n.includes('unreadable line'))).toBe(true)
    journal.close()
    expectClean([
      [A, 'staging', 'succeeded'],
      [B, 'production', 'failed'],
    ])
  })

  it('an old journal whose request line is damaged: the run that cannot be rebuilt is said, line by line', () => {
    const { journal } = open('old-format-damaged-request.jsonl')
    expect(journal.notes[0]).toMatch(/unreadable line at byte 0 \(60 bytes\)/)
    expect(journal.notes.slice(1)).toHaveLength(4)
    expect(journal.notes.slice(1).every((n) => n.includes('a line of a run whose request line is damaged'))).toBe(true)
    expect(states(journal)).toEqual([[B, 'production', 'failed']])
    // Every skipped line is in the side file, so a person can rebuild the run by hand.
    expect(aside().toString().match(new RegExp(A, 'g'))?.length).toBe(4)
    journal.close()
    expectClean([[B, 'production', 'failed']])
  })

  it('an undamaged journal has no side file', () => {
    const journal = DeployJournal.open(file)
    journal.close()
    expect(existsSync(`${file}.damaged`)).toBe(false)
  })
})
