import { AppError } from '../../../../shared/errors'
import { fill } from '../probe-context'
import type { Probe } from '../probe-context'

/**
 * What an environment runs according to a ref in the clone: a branch such as `deployed-to-production`
 * (GOV.UK's force-pushed branch), or a tag glob such as `release_*` (the highest tag in version order).
 */
export const gitRefProbe: Probe<'git-ref'> = async (config, ctx) => {
  if (!ctx.refs)
    throw new AppError('unsupported', `Git-ref probes need the clone of ${ctx.service}, which is not available.`)
  const ref = fill(config.ref, ctx)
  const refs = await ctx.refs()
  if (/[*?[]/.test(ref)) {
    const glob = globToRegExp(ref)
    const tags = [...refs.keys()]
      .filter((name) => name.startsWith('refs/tags/') && glob.test(name.slice('refs/tags/'.length)))
      .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    const newest = tags[0]
    if (newest) return { raw: refs.get(newest) ?? '' }
    throw new AppError(
      'not-found',
      `No tag of ${ctx.service} matches "${ref}"; fetch the repository if it was just created.`,
    )
  }
  for (const name of [ref, `refs/heads/${ref}`, `refs/remotes/origin/${ref}`, `refs/tags/${ref}`]) {
    const sha = refs.get(name)
    if (sha) return { raw: sha }
  }
  throw new AppError(
    'not-found',
    `The clone of ${ctx.service} has no branch or tag "${ref}"; fetch the repository if it was just pushed.`,
  )
}

/** A shell-style glob (`*`, `?`, `[abc]`) as an anchored RegExp; `*` does not cross `/`. */
export function globToRegExp(glob: string): RegExp {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? ''
    if (c === '*') source += '[^/]*'
    else if (c === '?') source += '[^/]'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1)
      if (end < 0) source += '\\['
      else {
        source += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`
        i = end
      }
    } else source += c.replace(/[.+^${}()|\\\]]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}
