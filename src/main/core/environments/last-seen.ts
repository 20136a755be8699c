import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** The SHA each service × environment ran when last looked at, to notice production moving backwards. */
export class LastSeen {
  private readonly seen: Record<string, string>

  constructor(private readonly file: string) {
    try {
      this.seen = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>
    } catch {
      this.seen = {}
    }
  }

  get(service: string, environment: string): string | undefined {
    return this.seen[`${service}\u0000${environment}`]
  }

  /** Records what runs now; written atomically. */
  update(entries: { service: string; environment: string; sha: string }[]): void {
    let changed = false
    for (const e of entries) {
      const key = `${e.service}\u0000${e.environment}`
      if (this.seen[key] !== e.sha) {
        this.seen[key] = e.sha
        changed = true
      }
    }
    if (!changed) return
    mkdirSync(dirname(this.file), { recursive: true })
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.seen))
    renameSync(`${this.file}.tmp`, this.file)
  }
}
