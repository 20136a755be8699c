/** What the commit index keeps of one commit object, before positions are assigned. */
export interface ParsedCommit {
  sha: string
  parents: string[]
  /** Committer time, unix seconds. */
  time: number
  authorName: string
  authorEmail: string
  subject: string
  /** SHA from a "(cherry picked from commit X)" line in the message, if any. */
  pickedFrom?: string
}

const NL = 0x0a
const PICKED_MARK = Buffer.from('(cherry picked from commit ')
const PICKED = /^\(cherry picked from commit ([0-9a-f]{40})\)\s*$/gm

/**
 * Parses a raw commit object (the bytes after git's `commit <size>\0` header). Works on the bytes
 * and decodes only the fields kept: this runs once per commit of the clone on a cold build.
 */
export function parseCommit(sha: string, data: Buffer): ParsedCommit {
  const parents: string[] = []
  let time = 0
  let authorName = ''
  let authorEmail = ''
  let pos = 0
  const length = data.length
  while (pos < length && data[pos] !== NL) {
    const end = lineEnd(data, pos)
    const first = data[pos]
    // Header names are compared byte by byte: a native call per line costs more than the whole check.
    if (first === 0x70 && startsWith(data, pos, PARENT)) {
      parents.push(data.toString('latin1', pos + 7, pos + 47))
    } else if (first === 0x61 && startsWith(data, pos, AUTHOR)) {
      const lt = data.indexOf(0x3c, pos)
      const gt = lt < 0 || lt > end ? -1 : data.indexOf(0x3e, lt)
      if (lt > 0 && lt < end && gt > lt && gt < end) {
        // One decode for "Name <email": a '<' byte is never part of a multi-byte UTF-8 sequence.
        const ident = data.toString('utf8', pos + 7, gt)
        const at = ident.indexOf('<')
        authorName = ident.slice(0, at).trim()
        authorEmail = ident.slice(at + 1)
      } else authorName = data.toString('utf8', pos + 7, end).trim()
    } else if (first === 0x63 && startsWith(data, pos, COMMITTER)) {
      time = timeOfSignature(data, pos, end)
    }
    pos = end + 1
  }
  const body = pos + 1
  const commit: ParsedCommit = { sha, parents, time, authorName, authorEmail, subject: subjectOf(data, body) }
  if (body < data.length && data.indexOf(PICKED_MARK, body) >= 0) {
    // A pick of a pick carries both lines; git appends the newest last.
    const picked = [...data.toString('utf8', body).matchAll(PICKED)].at(-1)?.[1]
    if (picked !== undefined) commit.pickedFrom = picked
  }
  return commit
}

const PARENT = [...Buffer.from('parent ')]
const AUTHOR = [...Buffer.from('author ')]
const COMMITTER = [...Buffer.from('committer ')]

function startsWith(data: Buffer, pos: number, word: number[]): boolean {
  for (let i = 0; i < word.length; i++) if (data[pos + i] !== word[i]) return false
  return true
}

function lineEnd(data: Buffer, from: number): number {
  const length = data.length
  let end = from
  while (end < length && data[end] !== NL) end++
  return end
}

// "committer Name <email> 1704067200 +0000": the time follows the last '>' of the line.
function timeOfSignature(data: Buffer, start: number, end: number): number {
  const gt = data.lastIndexOf(0x3e, end)
  const from = gt >= start ? gt + 1 : start
  // The usual shape, " <digits>" then a space or the line's end, is read here; anything else below.
  if (data[from] === 0x20) {
    let seconds = 0
    let at = from + 1
    while (at < end && at - from <= 15) {
      const digit = (data[at] ?? 0) - 0x30
      if (digit < 0 || digit > 9) break
      seconds = seconds * 10 + digit
      at++
    }
    if (at > from + 1 && at - from <= 15 && (at === end || data[at] === 0x20)) return seconds
  }
  const fields = data.toString('latin1', from, end).trim().split(' ')
  const seconds = Number(fields[0])
  return Number.isFinite(seconds) ? seconds : 0
}

// git's %s: the first paragraph of the message (leading blank lines skipped), its lines joined by spaces.
function subjectOf(data: Buffer, from: number): string {
  const lines: string[] = []
  let pos = from
  while (pos < data.length) {
    const end = lineEnd(data, pos)
    const line = data.toString('utf8', pos, end).trimEnd()
    pos = end + 1
    if (line.length === 0) {
      if (lines.length > 0) break
      continue
    }
    lines.push(line)
  }
  return lines.join(' ')
}
