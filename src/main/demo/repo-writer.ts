import * as fs from 'node:fs'
import git from 'isomorphic-git'

/** A person in the demo's history. */
export interface Person {
  name: string
  email: string
}

/** Writes commits straight into a bare repository with isomorphic-git's object API (no worktree, no git CLI). */
export class RepoWriter {
  private readonly blobs = new Map<string, string>()
  private readonly trees = new Map<string, string>()

  private constructor(readonly gitdir: string) {}

  /** Creates an empty bare repository whose HEAD names `branch`. */
  static async init(gitdir: string, branch: string): Promise<RepoWriter> {
    await git.init({ fs, gitdir, bare: true, defaultBranch: branch })
    return new RepoWriter(gitdir)
  }

  /** Writes a commit of `files` (path → content) and returns its SHA; moves no ref. */
  async commit(options: {
    files: Map<string, string>
    parents: string[]
    message: string
    author: Person
    time: Date
    committer?: Person
  }): Promise<string> {
    const tree = await this.writeTree(options.files)
    const timestamp = Math.floor(options.time.getTime() / 1000)
    const author = { ...options.author, timestamp, timezoneOffset: 0 }
    const committer = { ...(options.committer ?? options.author), timestamp, timezoneOffset: 0 }
    return git.writeCommit({
      fs,
      gitdir: this.gitdir,
      commit: { tree, parent: options.parents, author, committer, message: options.message },
    })
  }

  async setBranch(name: string, sha: string): Promise<void> {
    await git.writeRef({ fs, gitdir: this.gitdir, ref: `refs/heads/${name}`, value: sha, force: true })
  }

  async tag(name: string, sha: string, message?: string, tagger?: Person, time?: Date): Promise<void> {
    if (message && tagger && time) {
      await git.annotatedTag({
        fs,
        gitdir: this.gitdir,
        ref: name,
        object: sha,
        message,
        tagger: { ...tagger, timestamp: Math.floor(time.getTime() / 1000), timezoneOffset: 0 },
      })
    } else {
      await git.tag({ fs, gitdir: this.gitdir, ref: name, object: sha })
    }
  }

  private async blob(content: string): Promise<string> {
    const known = this.blobs.get(content)
    if (known) return known
    const oid = await git.writeBlob({ fs, gitdir: this.gitdir, blob: Buffer.from(content, 'utf8') })
    this.blobs.set(content, oid)
    return oid
  }

  /** Builds nested trees from a flat path → content map. */
  private async writeTree(files: Map<string, string>, prefix = ''): Promise<string> {
    const here: { mode: string; path: string; oid: string; type: 'blob' | 'tree' }[] = []
    const dirs = new Set<string>()
    for (const [path, content] of files) {
      if (!path.startsWith(prefix)) continue
      const rest = path.slice(prefix.length)
      const slash = rest.indexOf('/')
      if (slash >= 0) dirs.add(rest.slice(0, slash))
      else here.push({ mode: '100644', path: rest, oid: await this.blob(content), type: 'blob' })
    }
    for (const dir of dirs)
      here.push({ mode: '040000', path: dir, oid: await this.writeTree(files, `${prefix}${dir}/`), type: 'tree' })
    const key = here
      .map((e) => `${e.mode} ${e.path} ${e.oid}`)
      .sort()
      .join('\n')
    const known = this.trees.get(key)
    if (known) return known
    const oid = await git.writeTree({ fs, gitdir: this.gitdir, tree: here })
    this.trees.set(key, oid)
    return oid
  }
}
