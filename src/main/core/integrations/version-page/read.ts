import { readUrl } from '../../workspace/read-url'
import { regexHazard } from '../../workspace/regex-hazards'
import { probeVariables } from '../../workspace/templates'
import type { Field, Fields, ReadContext } from '../../workspace/yaml-reader'
import { readString, report } from '../../workspace/yaml-reader'
import type { EndpointBasics, EndpointOf, ProbeOf } from '../integration'

/** A JSON pointer as RFC 6901 writes it: empty, or `/`-separated tokens with `~0`/`~1` escapes only. */
export function isJsonPointer(text: string): boolean {
  return text === '' || (text.startsWith('/') && !/~(?![01])/.test(text))
}

/** `{ kind: http, url, credential? }`: a server whose pages are read with a bearer token. */
export function readHttpEndpoint(
  _ctx: ReadContext,
  _fields: Fields,
  _what: string,
  basics: EndpointBasics,
): EndpointOf<'http'> {
  return basics.credential === undefined
    ? { kind: 'http', url: basics.url }
    : { kind: 'http', url: basics.url, credential: basics.credential }
}

/** `{ http: <url>, json: <pointer> }` or `{ http: <url>, text: <regex> }`, with an optional bearer `credential`. */
export function readHttpProbe(
  ctx: ReadContext,
  fields: Fields,
  use: string,
  field: Field,
): ProbeOf<'http'> | undefined {
  const credential = readString(ctx, fields.get('credential'), `the credential of ${use}`)
  const url = readUrl(ctx, fields.get('http'), `the URL of ${use}`, probeVariables)
  const json = fields.get('json')
  const text = fields.get('text')
  if ((json === undefined) === (text === undefined)) {
    report(
      ctx,
      fields.node,
      `${use} must say how to read the SHA from the response: \`json\` or \`text\`, not ${json ? 'both' : 'neither'}`,
      'write `json: /sha` (a JSON pointer) or `text: "commit ([0-9a-f]{40})"` (a regex)',
    )
    return undefined
  }
  if (json) {
    const pointer = readString(ctx, json, `the JSON pointer of ${use}`)
    if (pointer !== undefined && !isJsonPointer(pointer)) {
      report(
        ctx,
        json,
        `"${pointer}" is not a JSON pointer`,
        'a JSON pointer starts with `/`, e.g. `/build/sha`; write `~1` for a `/` inside a name',
      )
      return undefined
    }
    if (url === undefined || pointer === undefined) return undefined
    return { kind: 'http', url, format: 'json', pointer, ...(credential === undefined ? {} : { credential }) }
  }
  const pattern = readString(ctx, text, `the pattern of ${use}`)
  if (pattern === undefined) return undefined
  try {
    new RegExp(pattern)
  } catch (error) {
    report(
      ctx,
      text ?? field,
      `"${pattern}" is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`,
      'write a JavaScript regex whose first group captures the SHA, e.g. `"commit ([0-9a-f]{40})"`; escape `(`, `[` and `\\` when you mean them literally',
    )
    return undefined
  }
  const hazard = regexHazard(pattern)
  if (hazard !== undefined) {
    report(
      ctx,
      text ?? field,
      `"${pattern}" can keep the probe busy for minutes on an answer that almost matches: ${hazard}`,
      'repeat a piece once, not a group of repeats (`[0-9a-f]+`, not `([0-9a-f]+)+`), and give repeated alternatives different first characters; the pattern only has to find the SHA, e.g. `"commit ([0-9a-f]{40})"`',
    )
    return undefined
  }
  if (url === undefined) return undefined
  return { kind: 'http', url, format: 'text', pattern, ...(credential === undefined ? {} : { credential }) }
}
