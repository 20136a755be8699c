import { checkTemplate, isHttpUrl } from './templates'
import type { Field, ReadContext } from './yaml-reader'
import { readString, report } from './yaml-reader'

/** Reads a URL (templates allowed only where `allowed` says), reporting anything that is not http(s). */
export function readUrl(
  ctx: ReadContext,
  field: Field | undefined,
  what: string,
  allowed: readonly string[] = [],
): string | undefined {
  const text = readString(ctx, field, what)
  if (text === undefined || field === undefined) return undefined
  checkTemplate(ctx, field, text, allowed, what)
  if (!isHttpUrl(text)) {
    report(
      ctx,
      field,
      `${what} is not a valid URL: "${text}"`,
      'write a full http(s) URL, e.g. `https://rundeck.example.com`',
    )
    return undefined
  }
  return text.replace(/\/+$/, '')
}
