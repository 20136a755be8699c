import * as fs from 'node:fs'
import { createHash } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import git, { type HttpClient } from 'isomorphic-git'
import type { Sha } from '../../../../shared/models/workspace'

/** One pack request: a single commit wanted, what the clone has, where the pack goes. */
export interface PackRequest {
  http: HttpClient
  url: string
  headers: Record<string, string>
  want: Sha
  haves: Sha[]
  gitdir: string
  cache: object
}

const FLUSH = Buffer.from('0000')

function pkt(text: string): Buffer {
  const body = Buffer.from(text, 'utf8')
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0')), body])
}

/**
 * Asks upload-pack (protocol v1) for one commit and what it needs beyond `haves`, stores the pack and indexes it.
 * isomorphic-git's fetch cannot do this for a repository with no branch at all (it looks for the remote HEAD after
 * the download and gives up before writing the pack), and a coordination repository may hold nothing but its ref.
 * Errors look like isomorphic-git's (`HttpError` with a status) so `toGitAppError` translates them alike.
 */
export async function fetchPack(request: PackRequest): Promise<void> {
  const body = Buffer.concat([
    pkt(`want ${request.want} side-band-64k ofs-delta no-progress agent=trainyard\n`),
    FLUSH,
    ...request.haves.map((sha) => pkt(`have ${sha}\n`)),
    pkt('done\n'),
  ])
  const res = await request.http.request({
    url: `${request.url.replace(/\/$/, '')}/git-upload-pack`,
    method: 'POST',
    headers: {
      ...request.headers,
      'content-type': 'application/x-git-upload-pack-request',
      accept: 'application/x-git-upload-pack-result',
    },
    body: once(body),
  })
  const chunks: Uint8Array[] = []
  for await (const chunk of res.body ?? []) chunks.push(chunk)
  if (res.statusCode !== 200) {
    throw Object.assign(new Error(`HTTP ${res.statusCode}`), {
      code: 'HttpError',
      data: { statusCode: res.statusCode },
    })
  }
  const pack = packOf(Buffer.concat(chunks))
  if (pack.length <= 32) return
  const name = `pack-${createHash('sha1')
    .update(pack.subarray(0, pack.length - 20))
    .digest('hex')}`
  const dir = join(request.gitdir, 'objects', 'pack')
  await mkdir(dir, { recursive: true })
  const file = join(dir, `${name}.pack`)
  await writeFile(file, pack)
  try {
    await git.indexPack({
      fs,
      dir: request.gitdir,
      gitdir: request.gitdir,
      filepath: join('objects', 'pack', `${name}.pack`),
      cache: request.cache,
    })
  } catch (error) {
    await rm(file, { force: true })
    throw error
  }
}

/** The request body as the async iterator isomorphic-git's HTTP client takes. */
function once(body: Buffer): AsyncIterableIterator<Uint8Array> {
  let sent = false
  const iterator: AsyncIterableIterator<Uint8Array> = {
    [Symbol.asyncIterator]: () => iterator,
    next: () => {
      const result: IteratorResult<Uint8Array> = sent ? { done: true, value: undefined } : { done: false, value: body }
      sent = true
      return Promise.resolve(result)
    },
  }
  return iterator
}

/** The pack of an upload-pack answer: ACK/NAK lines first, then side-band 1 (pack), 2 (progress), 3 (error). */
function packOf(answer: Buffer): Buffer {
  const pack: Buffer[] = []
  let at = 0
  let banded = false
  while (at + 4 <= answer.length) {
    const length = Number.parseInt(answer.subarray(at, at + 4).toString('ascii'), 16)
    if (Number.isNaN(length)) throw Object.assign(new Error('bad pkt-line'), { code: 'SmartHttpError' })
    if (length === 0) {
      at += 4
      if (banded) break
      continue
    }
    const payload = answer.subarray(at + 4, at + length)
    at += length
    const text = payload.toString('latin1')
    if (!banded && (text.startsWith('NAK') || text.startsWith('ACK '))) continue
    if (!banded && text.startsWith('ERR '))
      throw Object.assign(new Error('upload-pack refused'), { code: 'SmartHttpError' })
    banded = true
    const band = payload[0]
    if (band === 1) pack.push(payload.subarray(1))
    else if (band === 3) throw Object.assign(new Error('upload-pack failed'), { code: 'SmartHttpError' })
  }
  return Buffer.concat(pack)
}
