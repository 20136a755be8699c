import { randomBytes } from 'node:crypto'
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { AppError } from '../../../shared/errors'
import { describeOwner, isProcessOwner, ownerState, thisProcess, type ProcessOwner } from './process-owner'

/** What a lock file holds: its owner, what for, since when, and a nonce unique to this taking of the lock. */
export interface LockInfo extends ProcessOwner {
  nonce: string
  purpose: string
  since: string
}

/** A lock this process holds until `release`. */
export interface HeldLock {
  readonly file: string
  readonly info: LockInfo
  /** Removes the lock file if it is still this lock (idempotent). */
  release(): void
}

/** One attempt: the lock, or who holds it (alive, or on another host). */
export type LockAttempt = { held: HeldLock } | { holder: LockInfo }

/** A lock file with no readable owner yet (its creator is between `open` and `write`, or died there) gets this long. */
const UNREADABLE_GRACE_MS = 5000
/** Takeovers of takeovers: a process that dies while taking over a dead lock leaves one more level. */
const MAX_TAKEOVER_DEPTH = 3
const held = new Set<HeldLock>()
let exitHook = false

/**
 * Takes the lock file `file` if no live process holds it: created with O_EXCL (`wx`, which fails if it exists),
 * holding this process's pid, host and start time. A lock whose owner died (a dead or reused pid, another boot) is
 * taken over; one held on another host never is.
 */
export function tryLock(file: string, purpose: string): LockAttempt {
  mkdirSync(dirname(file), { recursive: true })
  return attempt(file, purpose, 0)
}

/**
 * Takes the lock file `file`, waiting (synchronously, for short critical sections) while a live process holds it.
 * Throws AppError `timeout` naming the holder after `timeoutMs`.
 */
export function lockSync(file: string, purpose: string, timeoutMs = 15_000): HeldLock {
  const deadline = Date.now() + timeoutMs
  let pauseMs = 1
  for (;;) {
    const outcome = tryLock(file, purpose)
    if ('held' in outcome) return outcome.held
    if (Date.now() >= deadline) {
      const holder = outcome.holder
      throw new AppError(
        'timeout',
        `${file} is held by ${describeOwner(holder)} for ${holder.purpose} since ${holder.since}. ` +
          `If that process is gone (or its machine is down), delete the file.`,
        { file, holder: { pid: holder.pid, host: holder.host, purpose: holder.purpose } },
      )
    }
    sleepSync(pauseMs)
    pauseMs = Math.min(pauseMs * 2, 20)
  }
}

/** Who holds the lock file now, if anyone (an unreadable file reads as undefined). */
export function lockHolder(file: string): LockInfo | undefined {
  return readLock(file)?.info
}

function attempt(file: string, purpose: string, depth: number): LockAttempt {
  for (let round = 0; ; round++) {
    const info: LockInfo = {
      ...thisProcess(),
      nonce: randomBytes(8).toString('hex'),
      purpose,
      since: new Date().toISOString(),
    }
    const made = create(file, info)
    if (made) return { held: handle(file, info, made) }
    const found = readLock(file)
    if (!found) continue
    const holder = found.info
    // Its creator is between `open` and `write`: a moment later it names its owner.
    if (found.young && round < 20) {
      sleepSync(1)
      continue
    }
    if (!found.dead || depth >= MAX_TAKEOVER_DEPTH || round > 20) return { holder }
    // Only the holder of `<file>.takeover-<nonce>` may remove that exact dead lock: two processes that both judged
    // it dead cannot both remove "it" (the slower one would remove the faster one's fresh lock).
    const takeover = attempt(`${file}.takeover-${holder.nonce}`, `taking over ${file}`, depth + 1)
    // Another process is taking this lock over: it is the holder to be.
    if ('holder' in takeover) return takeover
    try {
      if (readLock(file)?.info.nonce === holder.nonce) unlinkSync(file)
    } finally {
      takeover.held.release()
    }
  }
}

/** One lock file on disk: a lock taken over is a new file, with another inode or another change time. */
interface FileIdentity {
  ino: bigint
  ctimeNs: bigint
}

function create(file: string, info: LockInfo): FileIdentity | undefined {
  let fd: number
  try {
    fd = openSync(file, 'wx')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined
    throw error
  }
  try {
    const body = Buffer.from(JSON.stringify(info))
    let done = 0
    while (done < body.length) done += writeSync(fd, body, done)
    const stat = fstatSync(fd, { bigint: true })
    return { ino: stat.ino, ctimeNs: stat.ctimeNs }
  } finally {
    closeSync(fd)
  }
}

/** The lock file's holder and whether it is dead (or unreadable and young); undefined when there is no lock file. */
function readLock(file: string): { info: LockInfo; dead: boolean; young?: boolean } | undefined {
  let text: string
  let stat
  try {
    stat = statSync(file)
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    const value = JSON.parse(text) as LockInfo
    if (isProcessOwner(value) && typeof value.nonce === 'string')
      return { info: value, dead: ownerState(value) === 'dead' }
  } catch {
    // Still being written, or damaged: judged by its age.
  }
  const info: LockInfo = {
    pid: 0,
    host: 'unknown',
    started: 'unknown',
    nonce: `inode-${stat.ino}-${stat.mtimeMs}`,
    purpose: `an unreadable lock file ${file}`,
    since: new Date(stat.mtimeMs).toISOString(),
  }
  const age = Date.now() - stat.mtimeMs
  return { info, dead: age > UNREADABLE_GRACE_MS, young: age < 1000 }
}

function handle(file: string, info: LockInfo, identity: FileIdentity): HeldLock {
  let released = false
  const lock: HeldLock = {
    file,
    info,
    release() {
      if (released) return
      released = true
      held.delete(lock)
      try {
        // Never remove a lock someone else took over (they judged this process dead: it was not, but theirs is newer).
        const now = statSync(file, { bigint: true })
        if (now.ino === identity.ino && now.ctimeNs === identity.ctimeNs) unlinkSync(file)
      } catch {
        // Already gone (a person deleted it): nothing to release.
      }
    },
  }
  held.add(lock)
  if (!exitHook) {
    exitHook = true
    // A process that exits without closing still leaves no lock behind (a crash does: the next process takes it over).
    process.once('exit', () => [...held].forEach((l) => l.release()))
  }
  return lock
}

/** Blocks the thread for `ms`: the journal's critical sections are a few syscalls long, and its API is synchronous. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}
