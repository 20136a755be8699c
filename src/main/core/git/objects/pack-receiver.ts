import { closeSync, existsSync, fsyncSync, openSync, writeSync } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { GitObject } from './git-object'
import { writePackIndex } from './pack-idx-write'
import { resolveDeltas } from './pack-resolve'
import { PackScanner } from './pack-scan'
import { sealPack } from './pack-thin'
import { packTempPath, sweepPackTemps } from './temp-files'

/** A pack installed in a repository's `objects/pack`. */
export interface ReceivedPack {
  /** `pack-<checksum>`, the file name without extension; undefined when the pack held no object. */
  name: string | undefined
  objects: number
  /** Delta bases taken from the repository to complete a thin pack. */
  appended: number
}

/** How the second pass reports and stops. */
export interface FinishOptions {
  /** A base a thin pack lacks, from the repository's own objects. */
  external?: (oid: Buffer) => GitObject | undefined
  signal?: AbortSignal
  onResolving?: (resolved: number, total: number) => void
}

/**
 * Receives one pack into a repository the way `git index-pack --stdin --fix-thin` does: the stream is
 * spooled to a temp file under `objects/pack` while the first pass scans it, the second pass resolves the
 * deltas from that file, and the pack and its `.idx` (v2) are renamed into place, the `.idx` last, so a
 * reader never sees a pack without its index. At no point is the whole pack in memory.
 */
export class PackReceiver {
  private readonly scanner = new PackScanner()
  private written = 0
  private readonly queue = Buffer.allocUnsafe(1024 * 1024)
  private queued = 0
  private closed = false

  private constructor(
    private readonly packDir: string,
    private readonly temp: string,
    private readonly fd: number,
  ) {}

  /** Opens a temp file for a pack in `packDir`, first sweeping temp files left by a receive that died. */
  static async open(packDir: string): Promise<PackReceiver> {
    await mkdir(packDir, { recursive: true })
    await sweepPackTemps(packDir)
    const temp = packTempPath(packDir)
    return new PackReceiver(packDir, temp, openSync(temp, 'w+'))
  }

  /** Bytes received and objects located so far, and the object count the pack announced (-1 until known). */
  get progress(): { bytes: number; objects: number; total: number } {
    return { bytes: this.scanner.bytes, ...this.scanner.progress }
  }

  /** Spools and scans the next piece of the pack. */
  push(chunk: Buffer): void {
    this.scanner.push(chunk)
    // Network chunks are small: gather them into one write per MiB.
    if (this.queued + chunk.length > this.queue.length) this.flush()
    if (chunk.length >= this.queue.length) {
      writeSync(this.fd, chunk, 0, chunk.length, this.written)
      this.written += chunk.length
      return
    }
    chunk.copy(this.queue, this.queued)
    this.queued += chunk.length
  }

  private flush(): void {
    if (this.queued === 0) return
    writeSync(this.fd, this.queue, 0, this.queued, this.written)
    this.written += this.queued
    this.queued = 0
  }

  /** Verifies the pack, resolves its deltas (completing a thin pack), writes its index and installs both. */
  async finish(opts: FinishOptions = {}): Promise<ReceivedPack> {
    try {
      const scanned = this.scanner.finish()
      this.flush()
      const table = scanned.table
      let checksum = scanned.checksum
      const appended = await resolveDeltas({
        fd: this.fd,
        table,
        ...(opts.external ? { external: opts.external } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onResolving ? { onProgress: opts.onResolving } : {}),
      })
      if (appended > 0) checksum = sealPack(this.fd, table)
      if (table.count === 0) {
        await this.discard()
        return { name: undefined, objects: 0, appended }
      }
      fsyncSync(this.fd)
      this.close()
      const name = `pack-${checksum.toString('hex')}`
      const pack = join(this.packDir, `${name}.pack`)
      const idx = join(this.packDir, `${name}.idx`)
      if (existsSync(pack) && existsSync(idx)) {
        // The same pack arrived before (its name is its checksum): nothing new to install.
        await rm(this.temp, { force: true })
        return { name, objects: table.count, appended }
      }
      const tempIdx = `${this.temp}.idx`
      writePackIndex(tempIdx, table, checksum)
      await rename(this.temp, pack)
      await rename(tempIdx, idx)
      return { name, objects: table.count, appended }
    } catch (error) {
      await this.discard()
      throw error
    }
  }

  /** Stops and deletes everything this receive wrote. */
  async discard(): Promise<void> {
    this.close()
    await rm(this.temp, { force: true })
    await rm(`${this.temp}.idx`, { force: true })
  }

  private close(): void {
    if (this.closed) return
    this.closed = true
    this.scanner.close()
    closeSync(this.fd)
  }
}
