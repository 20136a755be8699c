import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCommitIndex } from '../../../src/main/core/git/commit-index-open'
import { readRefs } from '../../../src/main/core/git/refs'
import { createRepo, type TestRepo } from '../../support/git-repo'

// readRefs against `git for-each-ref` + `git rev-parse <ref>^{commit}`, loose and packed.

let repo: TestRepo
beforeAll(() => {
  repo = createRepo()
  repo.commit('One', { 'a.txt': '1\n' })
  repo.branch('feature/deep/name')
  repo.tag('light')
  repo.tag('annotated', { message: 'Annotated' })
  repo.git('tag', '-a', '-m', 'Tag of a tag', 'nested', 'annotated')
  repo.commit('Two', { 'a.txt': '2\n' })
  repo.git('update-ref', 'refs/remotes/origin/master', 'HEAD~1')
  repo.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/master')
  repo.git('tag', 'tree-tag', 'HEAD^{tree}')
  repo.git('update-ref', 'refs/pull/7/head', 'HEAD')
})
afterAll(() => {
  repo.cleanup()
  rmSync(`${repo.path}.idx`, { force: true })
})

function expected(): Map<string, string> {
  const map = new Map<string, string>([['HEAD', repo.revParse('HEAD')]])
  for (const name of repo.git('for-each-ref', '--format=%(refname)').split('\n')) {
    if (name === 'refs/tags/tree-tag') continue
    map.set(name, repo.git('rev-parse', '--verify', `${name}^{commit}`))
  }
  return map
}

describe('readRefs', () => {
  it('reads loose refs, peels annotated and nested tags, resolves symbolic refs, drops tags of trees', async () => {
    const refs = await readRefs(repo.gitdir)
    expect(refs).toEqual(expected())
    expect(refs.get('refs/remotes/origin/HEAD')).toBe(repo.revParse('HEAD~1'))
    expect(refs.has('refs/tags/tree-tag')).toBe(false)
  })

  it('reads packed-refs with peeled lines, and loose refs override packed ones', async () => {
    repo.git('pack-refs', '--all')
    // A fully-peeled packed-refs vouches that a lightweight tag is no tag object, not that it names a commit.
    const withoutTreeTag = async (): Promise<Map<string, string>> => {
      const refs = await readRefs(repo.gitdir)
      refs.delete('refs/tags/tree-tag')
      return refs
    }
    expect(await withoutTreeTag()).toEqual(expected())
    repo.git('update-ref', 'refs/heads/feature/deep/name', 'HEAD')
    const refs = await withoutTreeTag()
    expect(refs.get('refs/heads/feature/deep/name')).toBe(repo.revParse('HEAD'))
    expect(refs).toEqual(expected())
    const index = await openCommitIndex({ gitdir: repo.gitdir, cacheFile: `${repo.path}.idx` })
    expect(index.refs.has('refs/tags/tree-tag')).toBe(false)
    expect(Object.fromEntries(index.refs)).toEqual(Object.fromEntries(expected()))
  })

  it('peels tags from a packed-refs file without peeled lines', async () => {
    repo.git('pack-refs', '--all')
    const packed = join(repo.gitdir, 'packed-refs')
    const lines = repo
      .git('for-each-ref', '--format=%(objectname) %(refname)')
      .split('\n')
      .filter((l) => !l.endsWith('origin/HEAD'))
    writeFileSync(packed, `# pack-refs with: sorted \n${lines.join('\n')}\n`)
    const refs = await readRefs(repo.gitdir)
    expect(refs.get('refs/tags/nested')).toBe(repo.git('rev-parse', 'nested^{commit}'))
    expect(refs.get('refs/tags/annotated')).toBe(repo.git('rev-parse', 'annotated^{commit}'))
    expect(refs.has('refs/tags/tree-tag')).toBe(false)
  })

  it('follows a detached HEAD', async () => {
    repo.checkout(repo.revParse('HEAD~1'))
    expect((await readRefs(repo.gitdir)).get('HEAD')).toBe(repo.revParse('HEAD'))
    repo.checkout('master')
  })
})
