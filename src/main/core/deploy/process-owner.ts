import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'

/** A process as a lock file names it: enough to tell, later and from another process, whether it still lives. */
export interface ProcessOwner {
  pid: number
  host: string
  /** When the process started (ISO), for people reading a lock. */
  started: string
  /** Linux: the kernel's boot id, so a lock left before a reboot is known dead even if its pid is back in use. */
  boot?: string
  /** Linux: the process start in clock ticks since boot (/proc/<pid>/stat), so a reused pid is told apart. */
  ticks?: string
}

/** Whether a lock's owner still runs: `foreign` when it ran on another machine, where Trainyard cannot look. */
export type OwnerState = 'alive' | 'dead' | 'foreign'

let self: ProcessOwner | undefined

/** This process, as its locks name it. */
export function thisProcess(): ProcessOwner {
  if (self) return self
  const boot = readText('/proc/sys/kernel/random/boot_id')
  const ticks = startTicks(process.pid)
  self = {
    pid: process.pid,
    host: hostname(),
    started: new Date(Date.now() - Math.round(process.uptime() * 1000)).toISOString(),
    ...(boot ? { boot } : {}),
    ...(ticks ? { ticks } : {}),
  }
  return self
}

/**
 * Whether the process a lock names still runs. A dead pid (ESRCH), another boot, or the same pid with another
 * start time (reused) is `dead`; a process on another host is `foreign` and is never judged dead from here.
 */
export function ownerState(owner: ProcessOwner): OwnerState {
  const me = thisProcess()
  if (owner.host !== me.host) return 'foreign'
  if (owner.boot && me.boot && owner.boot !== me.boot) return 'dead'
  if (owner.pid === me.pid) {
    const same = owner.ticks && me.ticks ? owner.ticks === me.ticks : owner.started === me.started
    return same ? 'alive' : 'dead'
  }
  try {
    process.kill(owner.pid, 0)
  } catch (error) {
    // EPERM: the pid exists but belongs to another user; it is alive, and its start time below still counts.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'dead'
  }
  if (owner.ticks) {
    const now = startTicks(owner.pid)
    if (now !== undefined && now !== owner.ticks) return 'dead'
  }
  return 'alive'
}

/** A line for people: "pid 4242 on build-7 (started 2026-05-01T10:00:00.000Z)". */
export function describeOwner(owner: ProcessOwner): string {
  return `pid ${owner.pid} on ${owner.host} (started ${owner.started})`
}

/** Whether a parsed value has the fields of a ProcessOwner. */
export function isProcessOwner(value: unknown): value is ProcessOwner {
  const o = value as Partial<ProcessOwner> | null
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.pid === 'number' &&
    typeof o.host === 'string' &&
    typeof o.started === 'string'
  )
}

function startTicks(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`)
  if (!stat) return undefined
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return fields[19]
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim()
  } catch {
    return undefined
  }
}
