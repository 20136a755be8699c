import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { AppError } from '../../../../shared/errors'
import type { GitObject, ObjectType } from './git-object'

const TYPES = new Set<string>(['commit', 'tree', 'blob', 'tag'])

/** Reads a loose object from `objects/xx/yyyy…`, or undefined when there is no such file. */
export function readLooseObject(objectsDir: string, sha: string): GitObject | undefined {
  let raw: Buffer
  try {
    raw = readFileSync(join(objectsDir, sha.slice(0, 2), sha.slice(2)))
  } catch {
    return undefined
  }
  const all = inflateSync(raw)
  const nul = all.indexOf(0)
  const space = all.indexOf(0x20)
  const type = all.toString('latin1', 0, space)
  if (nul < 0 || space < 0 || space > nul || !TYPES.has(type)) {
    throw new AppError('internal', `Loose object ${sha} has a malformed header.`)
  }
  return { type: type as ObjectType, data: all.subarray(nul + 1) }
}
