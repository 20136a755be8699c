import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { crc32 } from 'node:zlib'

/** Writes `body` with a CRC-32 of it appended, atomically (a temp file renamed into place): readers see all or nothing. */
export function writeCheckedFile(path: string, body: Buffer): void {
  const trailer = Buffer.alloc(4)
  trailer.writeUInt32LE(crc32(body) >>> 0)
  mkdirSync(dirname(path), { recursive: true })
  const temp = `${path}.${process.pid}.tmp`
  writeFileSync(temp, Buffer.concat([body, trailer]))
  renameSync(temp, path)
}

/** The body of a file written by `writeCheckedFile` when its CRC-32 matches, else undefined (torn or corrupt). */
export function checkedBody(file: Buffer): Buffer | undefined {
  if (file.length < 4) return undefined
  const bodyLength = file.length - 4
  return crc32(file.subarray(0, bodyLength)) >>> 0 === file.readUInt32LE(bodyLength)
    ? file.subarray(0, bodyLength)
    : undefined
}
