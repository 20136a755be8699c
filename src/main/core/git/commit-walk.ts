import { parseCommit, type ParsedCommit } from './commit-parse'
import type { ReadObject } from './objects/git-object'

/**
 * Reads every commit reachable from `tips` that `isKnown` does not already cover, each once.
 * The walk stops at known commits, so after a fetch only the new commits are read. Tips that are
 * not commits are skipped; parents whose objects are missing (shallow clones) are left out.
 */
export function walkNewCommits(
  tips: Iterable<string>,
  isKnown: (sha: string) => boolean,
  readObject: ReadObject,
): ParsedCommit[] {
  const seen = new Set<string>()
  const stack: string[] = []
  for (const tip of tips) {
    if (!seen.has(tip) && !isKnown(tip)) {
      seen.add(tip)
      stack.push(tip)
    }
  }
  const found: ParsedCommit[] = []
  while (stack.length > 0) {
    const sha = stack.pop() as string
    const object = readObject(sha)
    if (!object || object.type !== 'commit') continue
    const commit = parseCommit(sha, object.data)
    found.push(commit)
    for (const parent of commit.parents) {
      if (seen.has(parent) || isKnown(parent)) continue
      seen.add(parent)
      stack.push(parent)
    }
  }
  return found
}
