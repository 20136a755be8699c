import { isMap, isPair, isScalar, isSeq } from 'yaml'
import type { ParsedNode } from 'yaml'
import type { ReadContext } from './yaml-reader'
import { report } from './yaml-reader'

const secretKey = /(token|password|passwd|secret|api[-_]?key|private[-_]?key|bearer)$/i

const knownTokenShapes = [
  /^gh[pousr]_[A-Za-z0-9]{20,}$/, // GitHub tokens
  /^github_pat_\w{20,}$/,
  /^glpat-[\w-]{20,}$/, // GitLab
  /^xox[abposr]-[\w-]{10,}$/, // Slack
  /^eyJ[\w-]{8,}\.[\w-]{8,}\./, // JWT
  /^AKIA[0-9A-Z]{16}$/, // AWS access key id
  /^11[0-9a-f]{32}$/, // Jenkins API token
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
]

const passwordInUrl = /^[a-z][\w+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i

/** The hint every inline secret gets, naming the credential to create when the place suggests one. */
export function keychainHint(name = '<name>'): string {
  return `secrets go in the keychain: \`trainyard credentials set ${name}\`, and the file names it with \`credential: ${name}\``
}

/** Whether a key name is where people put secrets (`token`, `password`, `apiToken`, …). */
export function isSecretKey(name: string): boolean {
  return secretKey.test(name)
}

function classOf(char: string): number {
  return /[A-Z]/.test(char) ? 0 : /[a-z]/.test(char) ? 1 : /[0-9]/.test(char) ? 2 : 3
}

function classChanges(value: string): number {
  let changes = 0
  for (let i = 1; i < value.length; i++) if (classOf(value[i - 1] ?? '') !== classOf(value[i] ?? '')) changes++
  return changes
}

/** Whether a value looks like a token or password rather than a name, URL, SHA or job id. */
export function looksLikeSecret(value: string): boolean {
  if (knownTokenShapes.some((shape) => shape.test(value))) return true
  if (passwordInUrl.test(value)) return true
  if (value.length < 20 || value.includes('://') || value.includes('{')) return false
  if (!/^[A-Za-z0-9_\-+/=.]+$/.test(value)) return false
  // SHAs and UUIDs (Rundeck job ids) are hex: not secrets.
  if (/^[0-9a-f-]+$/i.test(value)) return false
  if (!/[A-Z]/.test(value) || !/[a-z]/.test(value) || !/[0-9]/.test(value)) return false
  // Random tokens switch between upper case, lower case and digits at most characters; CamelCase names rarely do.
  return classChanges(value) / (value.length - 1) >= 0.4
}

/** Reports every secret written in the file, by key or by the look of a value; never repeats the value. */
export function scanInlineSecrets(ctx: ReadContext, node: ParsedNode | null, path: string[] = []): void {
  if (node === null) return
  // Inside `endpoints.<name>`, suggest a credential named after the endpoint.
  const name = path[0] === 'endpoints' && path[1] !== undefined ? `${path[1]}-token` : undefined
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue
      const key = pair.key
      if (isScalar(key) && typeof key.value === 'string' && isSecretKey(key.value)) {
        report(ctx, key, `a secret is written in the file (\`${key.value}:\`)`, keychainHint(name))
        continue
      }
      scanInlineSecrets(ctx, pair.value, isScalar(key) ? [...path, String(key.value)] : path)
    }
  } else if (isSeq(node)) {
    for (const item of node.items) scanInlineSecrets(ctx, item, path)
  } else if (isScalar(node) && typeof node.value === 'string' && looksLikeSecret(node.value)) {
    report(ctx, node, 'this value looks like a secret (a token or a password) written in the file', keychainHint(name))
  }
}
