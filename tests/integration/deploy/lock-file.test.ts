import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { createInterface, type Interface } from 'node:readline'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lockSync, tryLock, type LockInfo } from '../../../src/main/core/deploy/lock-file'
import { ownerState, thisProcess } from '../../../src/main/core/deploy/process-owner'
import { removeDir, tmpDir } from '../../support/git-repo'

const CHILD = join(import.meta.dirname, 'fixtures', 'lock-child.ts')

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(child.stdout.toString())
}

/** A lock file as another process would have left it. */
function lockOf(fields: Partial<LockInfo>): LockInfo {
  return {
    ...thisProcess(),
    nonce: Math.random().toString(16).slice(2),
    purpose: 'promoting web to qa',
    since: new Date().toISOString(),
    ...fields,
  }
}

describe('lock files', () => {
  let dir: string
  let file: string
  beforeEach(() => {
    dir = tmpDir()
    file = join(dir, 'web@qa.lock')
  })
  afterEach(() => removeDir(dir))

  it('holds the owner (pid, host, start time) until released; a second try sees the holder', () => {
    const first = tryLock(file, 'promoting web to qa')
    if (!('held' in first)) throw new Error('not taken')
    const written = JSON.parse(readFileSync(file, 'utf8')) as LockInfo
    expect(written).toMatchObject({ pid: process.pid, host: hostname(), purpose: 'promoting web to qa' })
    expect(Date.parse(written.started)).toBeLessThanOrEqual(Date.now())
    const second = tryLock(file, 'promoting web to qa')
    expect(second).toEqual({ holder: written })
    first.held.release()
    expect(existsSync(file)).toBe(false)
    // Nothing else is left in the directory (no file written aside).
    expect(readdirSync(dir)).toEqual([])
  })

  it('takes over a lock whose owner died, was a reused pid, or ran before a reboot', () => {
    const me = thisProcess()
    const stale = [
      lockOf({ pid: deadPid() }),
      // Our own pid, but another process's start: the pid was reused.
      lockOf({ started: '2001-01-01T00:00:00.000Z', ticks: '1' }),
      ...(me.boot ? [lockOf({ pid: 1, boot: 'another-boot' })] : []),
    ]
    for (const left of stale) {
      expect(ownerState(left)).toBe('dead')
      writeFileSync(file, JSON.stringify(left))
      const taken = tryLock(file, 'promoting web to qa')
      if (!('held' in taken)) throw new Error(`not taken over from ${JSON.stringify(left)}`)
      expect((JSON.parse(readFileSync(file, 'utf8')) as LockInfo).nonce).toBe(taken.held.info.nonce)
      taken.held.release()
    }
    expect(readdirSync(dir)).toEqual([])
  })

  it('never takes over a lock held on another host, and says who holds it when giving up', () => {
    const foreign = lockOf({ host: 'build-7.example', pid: 4242 })
    writeFileSync(file, JSON.stringify(foreign))
    expect(ownerState(foreign)).toBe('foreign')
    expect(tryLock(file, 'x')).toEqual({ holder: foreign })
    expect(() => lockSync(file, 'x', 50)).toThrow(
      expect.objectContaining({
        code: 'timeout',
        message: expect.stringMatching(/pid 4242 on build-7\.example .*promoting web to qa.*delete the file/) as string,
      }),
    )
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(foreign)
  })

  it('treats an unreadable lock file as held while young and takes it over once old', () => {
    writeFileSync(file, '{"pid":')
    expect('holder' in tryLock(file, 'x')).toBe(true)
    utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000))
    const taken = tryLock(file, 'x')
    expect('held' in taken).toBe(true)
    if ('held' in taken) taken.held.release()
  })
})

/** A lock-taking process (`fixtures/lock-child.ts`). */
class LockTaker {
  readonly proc: ChildProcessWithoutNullStreams
  private readonly lines: Interface
  private readonly queue: ((line: string) => void)[] = []

  constructor() {
    this.proc = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['pipe', 'pipe', 'pipe'] })
    this.lines = createInterface({ input: this.proc.stdout })
    this.lines.on('line', (line) => this.queue.shift()?.(line))
  }

  next(): Promise<string> {
    return new Promise((resolve) => this.queue.push(resolve))
  }

  say(line: string): Promise<string> {
    const answer = this.next()
    this.proc.stdin.write(`${line}\n`)
    return answer
  }
}

describe('a dead owner’s lock file taken over by several processes at once', () => {
  const takers: LockTaker[] = []
  const dir = tmpDir()
  afterAll(() => {
    for (const t of takers) t.proc.kill('SIGKILL')
    removeDir(dir)
  })

  it('has exactly one new holder each time', async () => {
    const ready = Array.from({ length: 3 }, () => new LockTaker())
    const started = ready.map((t) => t.next())
    takers.push(...ready)
    expect(await Promise.all(started)).toEqual(['ready', 'ready', 'ready'])
    const dead = deadPid()
    for (let round = 0; round < 25; round++) {
      const file = join(dir, `round-${round}.lock`)
      writeFileSync(file, JSON.stringify(lockOf({ pid: dead })))
      const answers = await Promise.all(takers.map((t) => t.say(`take ${file}`)))
      const holders = takers.filter((_, i) => answers[i] === 'held')
      expect(holders, `round ${round}: ${answers.join(', ')}`).toHaveLength(1)
      const winner = holders[0] as LockTaker
      expect(answers.filter((a) => a !== 'held').map((a) => a.split(' ')[0])).toEqual(['busy', 'busy'])
      expect(await winner.say('release')).toBe('released')
      expect(existsSync(file)).toBe(false)
    }
    // No takeover file is left behind.
    expect(readdirSync(dir)).toEqual([])
  }, 60_000)
})
