import { execFileSync } from 'node:child_process'
import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { parseAdvertisement, refNameProblem } from '../../../src/main/core/git/clone/advertisement'
import { parseProgress } from '../../../src/main/core/git/clone/download'
import { FLUSH, pktLine } from '../../../src/main/core/git/clone/pkt-line'
import { UploadResponse, uploadRequest } from '../../../src/main/core/git/clone/upload-pack'
import {
  entryHeader,
  readEntryHeader,
  writeEntryHeader,
  writeOfsDistance,
} from '../../../src/main/core/git/objects/pack-entry'
import { StreamInflate } from '../../../src/main/core/git/objects/stream-inflate'
import { AppError } from '../../../src/shared/errors'

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)

describe('ref names', () => {
  it('refuses exactly what `git check-ref-format` refuses', () => {
    const names = [
      'refs/heads/main',
      'refs/heads/feature/x-1',
      'refs/tags/v1.0.0',
      'refs/heads/a..b',
      'refs/heads/has space',
      'refs/heads/tab\there',
      'refs/heads/ctl\x01',
      'refs/heads/x~1',
      'refs/heads/x^',
      'refs/heads/x:y',
      'refs/heads/x?',
      'refs/heads/x*',
      'refs/heads/x[',
      'refs/heads/back\\slash',
      'refs/heads/.hidden',
      'refs/heads/x.lock',
      'refs/heads/x.lock/y',
      'refs/heads/trailing/',
      'refs/heads/dot.',
      'refs/heads//double',
      'refs/heads/at@{x}',
      'refs/heads/@',
      'refs/heads/ünïcode',
      'refs/heads/a.b',
      'refs/heads/-dash',
    ]
    for (const name of names) {
      let git = true
      try {
        execFileSync('git', ['check-ref-format', name], { stdio: 'ignore' })
      } catch {
        git = false
      }
      expect(refNameProblem(name) === undefined, name).toBe(git)
    }
  })
})

describe('the ref advertisement', () => {
  it('reads refs, peeled tags, capabilities and the default branch; skips bad names', () => {
    const body = Buffer.concat([
      pktLine('# service=git-upload-pack\n'),
      FLUSH,
      pktLine(`${A} HEAD\0multi_ack side-band-64k ofs-delta symref=HEAD:refs/heads/main agent=git/2.39\n`),
      pktLine(`${A} refs/heads/main\n`),
      pktLine(`${B} refs/heads/bad..name\n`),
      pktLine(`${B} refs/tags/v1\n`),
      pktLine(`${A} refs/tags/v1^{}\n`),
      FLUSH,
    ])
    const ad = parseAdvertisement(body)
    expect(ad.refs).toEqual(
      new Map([
        ['HEAD', A],
        ['refs/heads/main', A],
        ['refs/tags/v1', B],
      ]),
    )
    expect(ad.peeled).toEqual(new Map([['refs/tags/v1', A]]))
    expect(ad.symrefs.get('HEAD')).toBe('refs/heads/main')
    expect(ad.capabilities.get('agent')).toBe('git/2.39')
    expect(ad.capabilities.has('side-band-64k')).toBe(true)
    expect(ad.skipped).toEqual(['"refs/heads/bad..name" (contains ..)'])
  })

  it('an empty repository advertises capabilities only', () => {
    const body = Buffer.concat([
      pktLine('# service=git-upload-pack\n'),
      FLUSH,
      pktLine(`${'0'.repeat(40)} capabilities^{}\0side-band-64k\n`),
      FLUSH,
    ])
    const ad = parseAdvertisement(body)
    expect(ad.refs.size).toBe(0)
    expect(ad.capabilities.has('side-band-64k')).toBe(true)
  })

  it('a page that is not an advertisement is bad-response', () => {
    expect(() => parseAdvertisement(Buffer.from('<html>hello</html>'))).toThrow(AppError)
  })
})

describe('the upload-pack exchange', () => {
  it('asks for what the server offers, the wants first, then the haves and done', () => {
    const capabilities = new Map([
      ['side-band-64k', ''],
      ['ofs-delta', ''],
      ['thin-pack', ''],
    ])
    const body = uploadRequest({ wants: [A, B], haves: [B], capabilities, thin: true }).toString()
    expect(body).toBe(
      `0064want ${A} side-band-64k ofs-delta thin-pack agent=trainyard\n` +
        `0032want ${B}\n0000` +
        `0032have ${B}\n0009done\n`,
    )
    expect(() => uploadRequest({ wants: [A], haves: [], capabilities: new Map(), thin: false })).toThrow(/side-band/)
  })

  it('demultiplexes a response however it is cut, keeping the pack bytes and the progress lines', () => {
    const pack = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251))
    const response = Buffer.concat([
      pktLine('NAK\n'),
      pktLine(
        Buffer.concat([
          Buffer.from([2]),
          Buffer.from('Counting objects:  50% (1/2)\rCounting objects: 100% (2/2), done.\n'),
        ]),
      ),
      pktLine(Buffer.concat([Buffer.from([1]), pack.subarray(0, 1000)])),
      pktLine(Buffer.concat([Buffer.from([1]), pack.subarray(1000)])),
      FLUSH,
    ])
    for (const step of [1, 3, 7, 1000, response.length]) {
      const got: Buffer[] = []
      const lines: string[] = []
      const reader = new UploadResponse({ onPack: (c) => got.push(Buffer.from(c)), onProgress: (l) => lines.push(l) })
      for (let at = 0; at < response.length; at += step) reader.push(response.subarray(at, at + step))
      reader.finish()
      expect(Buffer.concat(got).equals(pack), `step ${step}`).toBe(true)
      expect(lines).toEqual(['Counting objects:  50% (1/2)', 'Counting objects: 100% (2/2), done.'])
    }
  })

  it('a shallow request sends the boundary and the depth after the wants; the answer’s boundary lines are passed on', () => {
    const capabilities = new Map([
      ['side-band-64k', ''],
      ['shallow', ''],
    ])
    const body = uploadRequest({ wants: [A], haves: [], capabilities, thin: false, deepen: 5, shallows: [B] })
    expect(body.toString()).toBe(
      `0050want ${A} side-band-64k agent=trainyard\n0035shallow ${B}\n000ddeepen 5\n00000009done\n`,
    )
    const without = new Map([['side-band-64k', '']])
    expect(() => uploadRequest({ wants: [A], haves: [], capabilities: without, thin: false, deepen: 5 })).toThrow(
      /shallow/,
    )
    const seen: string[] = []
    const reader = new UploadResponse({
      onPack: () => undefined,
      onShallow: (kind, sha) => seen.push(`${kind} ${sha}`),
    })
    reader.push(Buffer.concat([pktLine(`shallow ${A}\n`), pktLine(`unshallow ${B}\n`), FLUSH, pktLine('NAK\n'), FLUSH]))
    reader.finish()
    expect(seen).toEqual([`shallow ${A}`, `unshallow ${B}`])
  })

  it('a server error on band 3 fails with its words, without control characters', () => {
    const response = Buffer.concat([
      pktLine('NAK\n'),
      pktLine(Buffer.concat([Buffer.from([3]), Buffer.from('upload-pack: not our ref\x1b[2J\n')])),
    ])
    const reader = new UploadResponse({ onPack: () => undefined })
    expect(() => reader.push(response)).toThrow(/not our ref \[2J\.$/)
  })

  it('an answer that ends before the pack is complete is an error', () => {
    const reader = new UploadResponse({ onPack: () => undefined })
    reader.push(pktLine('NAK\n'))
    expect(() => reader.finish()).toThrow(/ended its answer early/)
  })

  it('reads git progress lines as phase and counts', () => {
    expect(parseProgress('Counting objects:  45% (123/270)')).toEqual({
      phase: 'Counting objects',
      loaded: 123,
      total: 270,
    })
    expect(parseProgress('Enumerating objects: 5, done.')).toEqual({ phase: 'Enumerating objects', loaded: 5 })
    expect(parseProgress('Total 3 (delta 0), reused 0 (delta 0)')).toBeUndefined()
  })
})

describe('pack entries', () => {
  it('encodes and decodes sizes and OFS_DELTA distances of every length', () => {
    const buf = Buffer.alloc(32)
    const header = entryHeader()
    for (const n of [0, 1, 15, 16, 127, 128, 16383, 16384, 2 ** 21, 2 ** 32 + 5, 2 ** 40 + 3]) {
      const size = writeEntryHeader(3, n, buf, 0)
      expect(readEntryHeader(buf, 0, size, header)).toBe(true)
      expect([header.type, header.size, header.length]).toEqual([3, n, size])
      expect(readEntryHeader(buf, 0, size - 1, header)).toBe(false)
      // An OFS_DELTA header: the type/size byte, then the distance.
      buf[0] = 0x60
      const length = 1 + writeOfsDistance(n + 1, buf, 1)
      expect(readEntryHeader(buf, 0, length, header)).toBe(true)
      expect([header.type, header.distance, header.length]).toEqual([6, n + 1, length])
    }
  })

  it('finds where a zlib stream ends, fed a byte at a time with the next entry right behind it', () => {
    const data = Buffer.from('hello '.repeat(500))
    const stream = Buffer.concat([deflateSync(data), Buffer.from('NEXT')])
    const inflate = new StreamInflate()
    const out = Buffer.alloc(data.length + 1)
    let produced = 0
    let at = 0
    while (!inflate.ended) {
      inflate.write(stream, at, Math.min(at + 1, stream.length), out, produced, out.length)
      produced += inflate.written
      at += inflate.read
    }
    inflate.close()
    expect(out.subarray(0, produced).equals(data)).toBe(true)
    expect(stream.subarray(at).toString()).toBe('NEXT')
  })

  it('a damaged zlib stream is a clear error', () => {
    const stream = deflateSync(Buffer.from('x'.repeat(1000)))
    stream[5] = (stream[5] as number) ^ 0xff
    const inflate = new StreamInflate()
    const out = Buffer.alloc(2000)
    expect(() => inflate.write(stream, 0, stream.length, out, 0, out.length)).toThrow(/corrupt/)
    inflate.close()
  })
})
