import { readFile } from 'node:fs/promises'
import { homedir, userInfo } from 'node:os'
import { join } from 'node:path'
import type { Identity } from '../../../shared/models/coordination'

/** `[user] name` and `email` of a git config file's text (later values win, as in git). */
export function userOfGitConfig(text: string): { name?: string; email?: string } {
  const found: { name?: string; email?: string } = {}
  let section = ''
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)[#;].*$/, '').trim()
    const header = /^\[\s*([^\]\s"]+)(\s+"[^"]*")?\s*\]$/.exec(line)
    if (header) {
      // `[user "x"]` is another section than `[user]`.
      section = header[2] === undefined ? (header[1] ?? '').toLowerCase() : ''
      continue
    }
    const pair = /^([A-Za-z][\w-]*)\s*=\s*(.*)$/.exec(line)
    if (section !== 'user' || !pair) continue
    const key = (pair[1] ?? '').toLowerCase()
    const value = (pair[2] ?? '').replace(/^"(.*)"$/, '$1').trim()
    if (value === '') continue
    if (key === 'name') found.name = value
    if (key === 'email') found.email = value
  }
  return found
}

/**
 * Who this machine's Trainyard writes coordination records as: `GIT_AUTHOR_NAME`/`GIT_AUTHOR_EMAIL`, else the
 * global git config's `user.name`/`user.email` (`GIT_CONFIG_GLOBAL`, `~/.gitconfig`, `$XDG_CONFIG_HOME/git/config`),
 * else the OS user. Read from the files (no git CLI is needed).
 */
export async function machineIdentity(env: NodeJS.ProcessEnv = process.env, home = homedir()): Promise<Identity> {
  let name = env.GIT_AUTHOR_NAME?.trim() || undefined
  let email = env.GIT_AUTHOR_EMAIL?.trim() || undefined
  const files = env.GIT_CONFIG_GLOBAL
    ? [env.GIT_CONFIG_GLOBAL]
    : [join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'git', 'config'), join(home, '.gitconfig')]
  for (const file of files) {
    const user = userOfGitConfig(await readFile(file, 'utf8').catch(() => ''))
    // ~/.gitconfig is read after the XDG file and wins, as in git.
    name = env.GIT_AUTHOR_NAME?.trim() || user.name || name
    email = env.GIT_AUTHOR_EMAIL?.trim() || user.email || email
  }
  const who = name ?? osUser()
  return email === undefined ? { name: who } : { name: who, email }
}

function osUser(): string {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}

/** How a person is named in messages: `rosa <rosa@acme.test>`, or the name alone. */
export function whoText(who: Identity): string {
  return who.email ? `${who.name} <${who.email}>` : who.name
}
