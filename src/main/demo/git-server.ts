import * as fs from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import git from 'isomorphic-git'
import { advertiseReceivePack, receivePack } from './git-receive-pack'
import { FLUSH, pktLine, readPktLines, sideBand } from './pkt-line'
import { trainyardRefs } from './trainyard-refs'

/** The demo's git smart-HTTP server (protocol v1): anyone fetches, a push needs the server's own token. */
export interface DemoGitServer {
  url: string
  close(): Promise<void>
}

/**
 * Serves `<root>/<name>.git` as `http://127.0.0.1:<port>/<name>.git`. Written on isomorphic-git's object API,
 * so the demo needs no git CLI; the app's clones fetch from it exactly as from a real server, and the hotfix flow
 * pushes to it with HTTP basic auth whose password is `token` (any user name), as with a hosted git service.
 */
export async function startDemoGitServer(root: string, options: { token: string }): Promise<DemoGitServer> {
  const cache = {}
  // One push at a time per server: a ref's old value is checked and moved without another push in between.
  let pushes: Promise<unknown> = Promise.resolve()
  const server = createServer((req, res) => {
    const handled = handle(root, cache, options.token, req, res, (work) => {
      const next = pushes.then(work, work)
      pushes = next.catch(() => undefined)
      return next
    })
    handled.catch((e: unknown) => {
      if (process.env.TRAINYARD_DEBUG) console.error(e)
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Whether a request carries basic auth whose password (or, token-style, user name) is the token. */
function authorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? ''
  if (!header.startsWith('Basic ')) return false
  const [user = '', password = ''] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')
  return password === token || (password === '' && user === token)
}

async function handle(
  root: string,
  cache: object,
  token: string,
  req: IncomingMessage,
  res: ServerResponse,
  serially: (work: () => Promise<Buffer>) => Promise<Buffer>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const match = /^\/([\w.-]+\.git)\/(info\/refs|git-upload-pack|git-receive-pack)$/.exec(url.pathname)
  const gitdir = match ? join(root, match[1] ?? '') : ''
  if (!match || !fs.existsSync(gitdir)) {
    res.writeHead(404).end('Repository not found')
    return
  }
  const service = match[2] === 'info/refs' ? url.searchParams.get('service') : match[2]
  if (service === 'git-receive-pack') {
    if (!authorized(req, token)) {
      req.resume()
      res.writeHead(401, { 'www-authenticate': 'Basic realm="trainyard-demo"' }).end('Authentication required')
      return
    }
    if (match[2] === 'info/refs') {
      res.writeHead(200, {
        'content-type': 'application/x-git-receive-pack-advertisement',
        'cache-control': 'no-cache',
      })
      res.end(await advertiseReceivePack(gitdir))
      return
    }
    const body = await readBody(req)
    const report = await serially(() => receivePack(gitdir, cache, body))
    res.writeHead(200, { 'content-type': 'application/x-git-receive-pack-result', 'cache-control': 'no-cache' })
    res.end(report)
    return
  }
  if (service !== 'git-upload-pack') {
    res.writeHead(403).end('Unknown service')
    return
  }
  if (match[2] === 'info/refs') {
    res.writeHead(200, { 'content-type': 'application/x-git-upload-pack-advertisement', 'cache-control': 'no-cache' })
    res.end(await advertise(gitdir, cache))
    return
  }
  const body = await readBody(req)
  const lines = readPktLines(body)
  const wants = lines.filter((l) => l.startsWith('want ')).map((l) => l.slice(5, 45))
  const haves = lines.filter((l) => l.startsWith('have ')).map((l) => l.slice(5, 45))
  const oids = await objectsToSend(gitdir, cache, wants, haves)
  const { packfile } = await git.packObjects({ fs, gitdir, cache, oids })
  res.writeHead(200, { 'content-type': 'application/x-git-upload-pack-result', 'cache-control': 'no-cache' })
  res.end(Buffer.concat([pktLine('NAK\n'), ...(packfile ? sideBand(packfile) : []), FLUSH]))
}

async function advertise(gitdir: string, cache: object): Promise<Buffer> {
  const refs: [string, string][] = []
  const head = await git.resolveRef({ fs, gitdir, ref: 'HEAD' }).catch(() => undefined)
  const headTarget = /^ref: (\S+)/.exec(fs.readFileSync(join(gitdir, 'HEAD'), 'utf8'))?.[1]
  if (head) refs.push([head, 'HEAD'])
  for (const branch of await git.listBranches({ fs, gitdir }))
    refs.push([await git.resolveRef({ fs, gitdir, ref: `refs/heads/${branch}` }), `refs/heads/${branch}`])
  const peeled: [string, string][] = []
  for (const tag of await git.listTags({ fs, gitdir })) {
    const oid = await git.resolveRef({ fs, gitdir, ref: `refs/tags/${tag}` })
    refs.push([oid, `refs/tags/${tag}`])
    const object = await git.readObject({ fs, gitdir, cache, oid })
    if (object.type === 'tag') peeled.push([(object.object as { object: string }).object, `refs/tags/${tag}^{}`])
  }
  refs.push(...peeled, ...(await trainyardRefs(gitdir)))
  // A repository with no ref at all (the coordination repository before its first write) says so, as git does.
  if (refs.length === 0) refs.push(['0000000000000000000000000000000000000000', 'capabilities^{}'])
  const symref = headTarget ? ` symref=HEAD:${headTarget}` : ''
  const capabilities = `side-band-64k ofs-delta no-progress${symref} agent=trainyard-demo`
  const lines = refs.map(([oid, name], i) =>
    pktLine(i === 0 ? `${oid} ${name}\0${capabilities}\n` : `${oid} ${name}\n`),
  )
  return Buffer.concat([pktLine('# service=git-upload-pack\n'), FLUSH, ...lines, FLUSH])
}

/** Every object reachable from `wants` and not from `haves` (trees and blobs of new commits included whole). */
async function objectsToSend(gitdir: string, cache: object, wants: string[], haves: string[]): Promise<string[]> {
  const known = new Set<string>()
  const haveCommits = new Set<string>()
  const stack = [...haves]
  while (stack.length > 0) {
    const oid = stack.pop() as string
    if (haveCommits.has(oid)) continue
    const commit = await git.readCommit({ fs, gitdir, cache, oid }).catch(() => undefined)
    if (!commit) continue
    haveCommits.add(oid)
    stack.push(...commit.commit.parent)
  }
  const out: string[] = []
  const add = (oid: string) => {
    if (known.has(oid)) return false
    known.add(oid)
    out.push(oid)
    return true
  }
  const pending = [...wants]
  while (pending.length > 0) {
    const oid = pending.pop() as string
    if (haveCommits.has(oid) || known.has(oid)) continue
    const object = await git.readObject({ fs, gitdir, cache, oid })
    add(oid)
    if (object.type === 'tag') pending.push((object.object as { object: string }).object)
    if (object.type === 'commit') {
      const commit = object.object as { tree: string; parent: string[] }
      pending.push(...commit.parent)
      await addTree(gitdir, cache, commit.tree, add)
    }
  }
  return out
}

async function addTree(gitdir: string, cache: object, oid: string, add: (oid: string) => boolean): Promise<void> {
  if (!add(oid)) return
  const { tree } = await git.readTree({ fs, gitdir, cache, oid })
  for (const entry of tree) {
    if (entry.type === 'tree') await addTree(gitdir, cache, entry.oid, add)
    else if (entry.type === 'blob') add(entry.oid)
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}
