import { AppError } from '../../../../shared/errors'
import type { Sha } from '../../../../shared/models/workspace'
import { packetText, splitPackets } from './pkt-line'

/** What `GET info/refs?service=git-upload-pack` says (protocol v0/v1): the server's refs and capabilities. */
export interface Advertisement {
  /** Ref name → the SHA it stores, for every ref with a valid name (HEAD included when advertised). */
  refs: Map<string, Sha>
  /** Ref name → what it peels to, from the `<ref>^{}` lines of annotated tags. */
  peeled: Map<string, Sha>
  /** Capability names (`side-band-64k`, `ofs-delta`…) and `name=value` ones by name. */
  capabilities: Map<string, string>
  /** Symbolic refs the server declared (`symref=HEAD:refs/heads/main`): HEAD → refs/heads/main. */
  symrefs: Map<string, string>
  /** Advertised names git would refuse (`refs/heads/a..b`, control characters…): skipped, each with why. */
  skipped: string[]
}

const SHA = /^[0-9a-f]{40}$/
const ZERO = '0'.repeat(40)

/** Parses an upload-pack ref advertisement; names that are not valid ref names are skipped, not fatal. */
export function parseAdvertisement(body: Buffer): Advertisement {
  const ad: Advertisement = {
    refs: new Map(),
    peeled: new Map(),
    capabilities: new Map(),
    symrefs: new Map(),
    skipped: [],
  }
  const packets = splitPackets(body)
  let k = 0
  const first = packets[0]
  // Smart HTTP starts with `# service=git-upload-pack` and a flush; a plain git daemon-style stream does not.
  if (first && packetText(first).startsWith('# service=')) {
    if (packetText(first) !== '# service=git-upload-pack') throw notUploadPack()
    k = packets[1] === undefined ? 2 : 1
  }
  let sawCapabilities = false
  for (; k < packets.length; k++) {
    const packet = packets[k]
    if (packet === undefined) break
    const nul = packet.indexOf(0)
    const line = packetText(nul >= 0 ? packet.subarray(0, nul) : packet)
    if (nul >= 0 && !sawCapabilities) {
      sawCapabilities = true
      readCapabilities(packetText(packet.subarray(nul + 1)), ad)
    }
    if (line.startsWith('ERR ')) throw new AppError('bad-response', `The server refused: ${line.slice(4)}`)
    const sha = line.slice(0, 40)
    const name = line.slice(41)
    if (!SHA.test(sha) || line[40] !== ' ') throw notUploadPack()
    if (sha === ZERO && name === 'capabilities^{}') continue
    if (name.endsWith('^{}')) {
      const tag = name.slice(0, -3)
      if (ad.refs.has(tag)) ad.peeled.set(tag, sha)
      continue
    }
    const problem = name === 'HEAD' ? undefined : refNameProblem(name)
    if (problem) ad.skipped.push(`${JSON.stringify(name)} (${problem})`)
    else ad.refs.set(name, sha)
  }
  return ad
}

function readCapabilities(text: string, ad: Advertisement): void {
  for (const word of text.split(' ')) {
    if (word === '') continue
    const eq = word.indexOf('=')
    const name = eq < 0 ? word : word.slice(0, eq)
    const value = eq < 0 ? '' : word.slice(eq + 1)
    if (name === 'symref') {
      const colon = value.indexOf(':')
      if (colon > 0) ad.symrefs.set(value.slice(0, colon), value.slice(colon + 1))
    } else ad.capabilities.set(name, value)
  }
}

/**
 * Why git would refuse `name` as a full ref name (`git check-ref-format` rules), or undefined when it is fine.
 * Names that do not decode as UTF-8 are refused too: they could not be written back unchanged.
 */
export function refNameProblem(name: string): string | undefined {
  if (!name.startsWith('refs/')) return 'not under refs/'
  if (name.includes('\uFFFD')) return 'not valid UTF-8'
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c <= 0x20 || c === 0x7f || '~^:?*[\\'.includes(name[i] as string))
      return 'a space, control or special character'
  }
  if (name.includes('..')) return 'contains ..'
  if (name.includes('@{')) return 'contains @{'
  if (name.endsWith('/') || name.endsWith('.')) return 'ends with / or .'
  for (const part of name.split('/')) {
    if (part === '') return 'an empty component'
    if (part.startsWith('.')) return 'a component starting with .'
    if (part.endsWith('.lock')) return 'a component ending with .lock'
  }
  return undefined
}

function notUploadPack(): AppError {
  return new AppError(
    'bad-response',
    "The server's ref advertisement is not git-upload-pack's; check the repo URL in the workspace file.",
  )
}
