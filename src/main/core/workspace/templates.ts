import { AppError } from '../../../shared/errors'
import { nearest } from './suggest'
import type { Anchor, ReadContext } from './yaml-reader'
import { report } from './yaml-reader'

const placeholder = /\{([A-Za-z_][\w-]*)\}/g

/** Variables a probe may use: it runs before any SHA is chosen. */
export const probeVariables = ['service', 'environment'] as const
/** Variables a deploy job's options and parameters may use. */
export const deployVariables = ['service', 'environment', 'sha'] as const
/** Variables the hotfix branch pattern may use. */
export const hotfixVariables = ['region'] as const

/** The `{name}` placeholders in a template, in order of appearance. Regex quantifiers like `{40}` are not placeholders. */
export function templateVariables(text: string): string[] {
  return [...text.matchAll(placeholder)].map((match) => match[1] ?? '')
}

/**
 * Replaces `{service}`, `{environment}`, `{sha}`, `{region}` … with their values.
 * Throws `invalid-workspace` if the template names a variable not given: a deploy must never run with a literal `{sha}`.
 */
export function fillTemplate(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(placeholder, (_whole, name: string) => {
    const value = vars[name]
    if (value === undefined) {
      throw new AppError('invalid-workspace', `The template "${text}" uses {${name}}, which is not known here.`)
    }
    return value
  })
}

/** Reports every placeholder of `text` that is not one of `allowed`. */
export function checkTemplate(
  ctx: ReadContext,
  at: Anchor,
  text: string,
  allowed: readonly string[],
  use: string,
): void {
  const listed = allowed.map((name) => `\`{${name}}\``).join(', ')
  for (const name of templateVariables(text)) {
    if (allowed.includes(name)) continue
    const close = nearest(name, allowed)
    const hint =
      name === 'sha' && !allowed.includes('sha')
        ? `\`{sha}\` is only known when deploying; ${use} can use ${listed}`
        : close !== undefined
          ? `did you mean \`{${close}}\`?`
          : `${use} can use ${listed}`
    report(ctx, at, `unknown template variable \`{${name}}\` in ${use}`, hint)
  }
}

/** Whether a templated URL is a valid http(s) URL once its placeholders are filled with sample values. */
export function isHttpUrl(text: string): boolean {
  let url: URL
  try {
    url = new URL(text.replace(placeholder, 'x'))
  } catch {
    return false
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
}

/** Each value of a name → template map, filled. */
export function fillValues(values: Record<string, string>, fill: (template: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, fill(value)]))
}
