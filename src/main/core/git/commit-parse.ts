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
  while (pos < data.length && data[pos] !== NL) {
    const end = lineEnd(data, pos)
    const first = data[pos]
    if (first === 0x70 && data.toString('latin1', pos, pos + 7) === 'parent ') {
      parents.push(data.toString('latin1', pos + 7, pos + 47))
    } else if (first === 0x61 && data.toString('latin1', pos, pos + 7) === 'author ') {
      const lt = data.indexOf(0x3c, pos)
      const gt = lt < 0 || lt > end ? -1 : data.indexOf(0x3e, lt)
      if (lt > 0 && lt < end && gt > lt && gt < end) {
        authorName = data.toString('utf8', pos + 7, lt).trim()
        authorEmail = data.toString('utf8', lt + 1, gt)
      } else authorName = data.toString('utf8', pos + 7, end).trim()
    } else if (first === 0x63 && data.toString('latin1', pos, pos + 10) === 'committer ') {
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

function lineEnd(data: Buffer, from: number): number {
  const end = data.indexOf(NL, from)
  return end < 0 ? data.length : end
}

// "committer Name <email> 1704067200 +0000": the time follows the last '>' of the line.
function timeOfSignature(data: Buffer, start: number, end: number): number {
  const gt = data.lastIndexOf(0x3e, end)
  const fields = data.toString('latin1', gt >= start ? gt + 1 : start, end).trim().split(' ')
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
