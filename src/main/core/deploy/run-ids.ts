import { randomBytes } from 'node:crypto'

/** A new deploy run id: the request time (sortable) plus random hex, e.g. `20240501T100000Z-3f2a9c1d`. */
export function newRunId(at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  return `${stamp}-${randomBytes(4).toString('hex')}`
}
