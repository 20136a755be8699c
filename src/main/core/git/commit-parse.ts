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

const PICKED = /^\(cherry picked from commit ([0-9a-f]{40})\)\s*$/gm

/** Parses a raw commit object (the bytes after git's `commit <size>\0` header). */
export function parseCommit(sha: string, data: Buffer): ParsedCommit {
  const headerEnd = data.indexOf('\n\n')
  const header = data.toString('utf8', 0, headerEnd < 0 ? data.length : headerEnd)
  const parents: string[] = []
  let time = 0
  let authorName = ''
  let authorEmail = ''
  for (const line of header.split('\n')) {
    if (line.startsWith('parent ')) parents.push(line.slice(7, 47))
    else if (line.startsWith('author ')) {
      const lt = line.indexOf('<')
      const gt = line.indexOf('>', lt)
      authorName = line.slice(7, lt > 0 ? lt - 1 : undefined).trim()
      authorEmail = lt > 0 && gt > lt ? line.slice(lt + 1, gt) : ''
    } else if (line.startsWith('committer ')) {
      time = timeOfSignature(line)
    }
  }
  const message = headerEnd < 0 ? '' : data.toString('utf8', headerEnd + 2)
  const subject = subjectOf(message)
  // A pick of a pick carries both lines; git appends the newest last.
  const picked = [...message.matchAll(PICKED)].at(-1)?.[1]
  const commit: ParsedCommit = { sha, parents, time, authorName, authorEmail, subject }
  if (picked !== undefined) commit.pickedFrom = picked
  return commit
}

// "committer Name <email> 1704067200 +0000": the time is the second-last field after the last '>'.
function timeOfSignature(line: string): number {
  const fields = line.slice(line.lastIndexOf('>') + 1).trim().split(' ')
  const seconds = Number(fields[0])
  return Number.isFinite(seconds) ? seconds : 0
}

// git's %s: the first paragraph of the message (leading blank lines skipped), its lines joined by spaces.
function subjectOf(message: string): string {
  const lines: string[] = []
  for (const line of message.split('\n')) {
    const trimmed = line.trimEnd()
    if (trimmed.length === 0) {
      if (lines.length > 0) break
      continue
    }
    lines.push(trimmed)
  }
  return lines.join(' ')
}
