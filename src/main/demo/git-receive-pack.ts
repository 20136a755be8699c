import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import git from 'isomorphic-git'
import { FLUSH, pktLine, readPktLines } from './pkt-line'
import { trainyardRefs } from './trainyard-refs'

const ZERO = '0000000000000000000000000000000000000000'
const CAPABILITIES = 'report-status side-band-64k no-thin delete-refs agent=trainyard-demo'

/** The receive-pack advertisement: every branch and tag, or git's `capabilities^{}` line for an empty repo. */
export async function advertiseReceivePack(gitdir: string): Promise<Buffer> {
  const refs: [string, string][] = []
  for (const branch of await git.listBranches({ fs, gitdir }))
    refs.push([await git.resolveRef({ fs, gitdir, ref: `refs/heads/${branch}` }), `refs/heads/${branch}`])
  for (const tag of await git.listTags({ fs, gitdir }))
    refs.push([await git.resolveRef({ fs, gitdir, ref: `refs/tags/${tag}` }), `refs/tags/${tag}`])
  refs.push(...(await trainyardRefs(gitdir)))
  if (refs.length === 0) refs.push([ZERO, 'capabilities^{}'])
  const lines = refs.map(([oid, name], i) =>
    pktLine(i === 0 ? `${oid} ${name}\0${CAPABILITIES}\n` : `${oid} ${name}\n`),
  )
  return Buffer.concat([pktLine('# service=git-receive-pack\n'), FLUSH, ...lines, FLUSH])
}

interface RefUpdate {
  old: string
  new: string
  ref: string
}

/**
 * Handles one push (protocol v1): the ref updates, then the pack. The pack is stored and indexed first; then
 * each ref moves only if it still holds the old value the client saw (so a push that raced another is refused,
 * never merged), and only to a commit the repository now has. Answers git's report-status, in side-band when asked.
 */
export async function receivePack(gitdir: string, cache: object, body: Buffer): Promise<Buffer> {
  const { updates, capabilities, pack } = parseRequest(body)
  let unpack = 'ok'
  try {
    if (pack.length > 32) await storePack(gitdir, cache, pack)
  } catch (error) {
    unpack = `index-pack failed: ${error instanceof Error ? error.message : 'unreadable pack'}`
  }
  const results: string[] = []
  for (const u of updates)
    results.push(unpack === 'ok' ? await applyUpdate(gitdir, cache, u) : `ng ${u.ref} unpacker error`)
  const report = Buffer.concat([pktLine(`unpack ${unpack}\n`), ...results.map((r) => pktLine(`${r}\n`)), FLUSH])
  if (!capabilities.includes('side-band-64k')) return report
  return Buffer.concat([pktLine(Buffer.concat([Buffer.from([1]), report])), FLUSH])
}

function parseRequest(body: Buffer): { updates: RefUpdate[]; capabilities: string[]; pack: Buffer } {
  // The commands end at the first flush; the pack (if any) follows it.
  let at = 0
  while (at + 4 <= body.length) {
    const length = parseInt(body.subarray(at, at + 4).toString('ascii'), 16)
    if (Number.isNaN(length)) break
    at += length === 0 ? 4 : length
    if (length === 0) break
  }
  const updates: RefUpdate[] = []
  let capabilities: string[] = []
  for (const line of readPktLines(body.subarray(0, at))) {
    const [command = '', caps] = line.replace(/\n$/, '').split('\0')
    if (caps !== undefined) capabilities = caps.trim().split(' ')
    const [old = '', next = '', ref = ''] = command.split(' ')
    updates.push({ old, new: next, ref })
  }
  return { updates, capabilities, pack: body.subarray(at) }
}

async function storePack(gitdir: string, cache: object, pack: Buffer): Promise<void> {
  const name = `pack-${createHash('sha1')
    .update(pack.subarray(0, pack.length - 20))
    .digest('hex')}`
  const dir = join(gitdir, 'objects', 'pack')
  await mkdir(dir, { recursive: true })
  const file = join(dir, `${name}.pack`)
  await writeFile(file, pack)
  try {
    await git.indexPack({ fs, dir: gitdir, gitdir, filepath: join('objects', 'pack', `${name}.pack`), cache })
  } catch (error) {
    await rm(file, { force: true })
    throw error
  }
}

async function applyUpdate(gitdir: string, cache: object, u: RefUpdate): Promise<string> {
  if (!/^refs\/(heads|tags|trainyard)\/[\w./-]+$/.test(u.ref) || u.ref.includes('..'))
    return `ng ${u.ref} funny refname`
  const current = await git.resolveRef({ fs, gitdir, ref: u.ref }).catch(() => ZERO)
  if (current !== u.old) return `ng ${u.ref} fetch first`
  if (u.new === ZERO) {
    await git.deleteRef({ fs, gitdir, ref: u.ref })
    return `ok ${u.ref}`
  }
  const exists = await git.readObject({ fs, gitdir, cache, oid: u.new }).then(
    () => true,
    () => false,
  )
  if (!exists) return `ng ${u.ref} missing necessary objects`
  await git.writeRef({ fs, gitdir, ref: u.ref, value: u.new, force: true })
  return `ok ${u.ref}`
}
