import type { CoordinationSettings, Webhook, WebhookEvent } from '../../../shared/models/workspace'
import { defaultCoordinationRef, defaultStaleAfterMinutes } from '../../../shared/workspace/defaults'
import { readUrl } from './read-url'
import { checkName } from './read-services'
import { suggestion } from './suggest'
import type { Field, ReadContext } from './yaml-reader'
import { readEntries, readMap, readNames, readNumber, readString, report } from './yaml-reader'

/** Every event a webhook may be told about, in the order the docs list them. */
export const webhookEvents: readonly WebhookEvent[] = [
  'started',
  'succeeded',
  'failed',
  'rolled-back',
  'locked',
  'unlocked',
]

// A ref git accepts and that is not a branch, a tag or a remote-tracking ref (Trainyard's fetch owns those).
const REF = /^refs\/(?!heads\/|tags\/|remotes\/)[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/

/** Reads `coordination: { repo, credential?, ref?, staleAfterMinutes? }`; `repo` alone may be written as the value. */
export function readCoordination(ctx: ReadContext, field: Field | undefined): CoordinationSettings | undefined {
  if (!field) return undefined
  const what = '`coordination`'
  const fields = readMap(ctx, field.value, field, {
    what,
    keys: ['repo', 'credential', 'ref', 'staleAfterMinutes'],
    required: ['repo'],
  })
  if (!fields) return undefined
  const repo = readUrl(ctx, fields.get('repo'), `the repo of ${what}`)
  const credential = readString(ctx, fields.get('credential'), `the credential of ${what}`)
  const refField = fields.get('ref')
  const ref = readString(ctx, refField, `the ref of ${what}`)
  if (refField && ref !== undefined && (!REF.test(ref) || ref.includes('..') || ref.endsWith('.lock'))) {
    report(
      ctx,
      refField,
      `the ref of ${what} must be a ref outside branches and tags, not "${ref}"`,
      `write e.g. \`ref: ${defaultCoordinationRef}\` (records never land on a branch people push to)`,
    )
    return undefined
  }
  const staleField = fields.get('staleAfterMinutes')
  const stale = readNumber(ctx, staleField, 'staleAfterMinutes', { min: 1, integer: true })
  if (repo === undefined || (refField && ref === undefined) || (staleField && stale === undefined)) return undefined
  return {
    repo,
    ...(credential === undefined ? {} : { credential }),
    ref: ref ?? defaultCoordinationRef,
    staleAfterMinutes: stale ?? defaultStaleAfterMinutes,
  }
}

function readWebhook(ctx: ReadContext, field: Field): Webhook | undefined {
  if (!checkName(ctx, field.key, field.name, 'webhook')) return undefined
  const what = `webhook \`${field.name}\``
  const fields = readMap(ctx, field.value, field, {
    what,
    keys: ['format', 'credential', 'events'],
    required: ['format', 'credential'],
    // A URL written in the file is reported below with the way out; not as an unknown key.
    ignore: (key) => key === 'url',
  })
  if (!fields) return undefined
  const urlField = fields.get('url')
  if (urlField) {
    report(
      ctx,
      urlField,
      `the URL of ${what} is a secret and does not belong in the workspace file`,
      `store it with \`trainyard credentials set ${field.name}-webhook\` and write \`credential: ${field.name}-webhook\``,
    )
  }
  const formatField = fields.get('format')
  const format = readString(ctx, formatField, `the format of ${what}`)
  if (formatField && format !== undefined && format !== 'slack' && format !== 'json') {
    report(ctx, formatField, `unknown webhook format \`${format}\` in ${what}`, 'use `slack` or `json`')
    return undefined
  }
  const credential = readString(ctx, fields.get('credential'), `the credential of ${what}`)
  const eventsField = fields.get('events')
  const named = eventsField ? readNames(ctx, eventsField, `the events of ${what}`) : undefined
  for (const item of named ?? []) {
    if (!(webhookEvents as readonly string[]).includes(item.value)) {
      report(
        ctx,
        item.node,
        `unknown webhook event \`${item.value}\` in ${what}`,
        suggestion(item.value, webhookEvents),
      )
    }
  }
  if (format === undefined || credential === undefined || urlField || (eventsField && !named)) return undefined
  const events = named
    ? webhookEvents.filter((event) => named.some((item) => item.value === event))
    : [...webhookEvents]
  return { name: field.name, format: format as Webhook['format'], credential, events }
}

/** Reads the `webhooks:` mapping (name → format, credential, events); each URL stays in the keychain. */
export function readWebhooks(ctx: ReadContext, field: Field | undefined): Webhook[] | undefined {
  if (!field) return undefined
  const entries = readEntries(ctx, field.value, field, '`webhooks`', 'webhook')
  const webhooks: Webhook[] = []
  for (const entry of entries?.list ?? []) {
    const webhook = readWebhook(ctx, entry)
    if (webhook) webhooks.push(webhook)
  }
  return webhooks
}

/** Reads an environment's `requireSignoff: [qa, staging]`, recording each name as a reference to an environment. */
export function readRequireSignoff(ctx: ReadContext, field: Field | undefined, use: string): string[] | undefined {
  if (!field) return undefined
  const items = readNames(ctx, field, `requireSignoff of ${use}`, true)
  for (const item of items ?? []) {
    ctx.references.push({ what: 'environment', name: item.value, node: item.node, use: `requireSignoff of ${use}` })
  }
  return items?.map((item) => item.value)
}
