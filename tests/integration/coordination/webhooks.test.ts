import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { WebhookPayload } from '../../../src/main/core/coordination/webhooks'
import { finished, TeamEstate, type Teammate } from './team-estate'

/** The secret part of every webhook URL: it must never show up anywhere but in the requests themselves. */
const SECRET = 'T0SECRET/B0SECRET/hook-7f3a9c'

interface Received {
  hook: string
  body: unknown
}

/** A loopback chat server: `chat` and `audit` answer 200, `broken` 500, `slow` never answers. */
async function startReceiver() {
  const received: Received[] = []
  const hanging = new Set<ServerResponse>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const hook = (req.url ?? '').split('/').pop() ?? ''
      received.push({ hook, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown })
      if (hook === 'broken') res.writeHead(500).end('boom')
      else if (hook === 'slow') hanging.add(res)
      else res.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    received,
    hanging,
    url: (hook: string) => `http://127.0.0.1:${port}/services/${SECRET}/${hook}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

describe('chat webhooks', () => {
  const estate = new TeamEstate()
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  let ana: Teammate
  const events: string[] = []

  beforeAll(async () => {
    receiver = await startReceiver()
    await estate.start({
      coordination: false,
      extra: `webhooks:
  chat: { format: slack, credential: chat-webhook }
  audit: { format: json, credential: audit-webhook, events: [succeeded, rolled-back, locked, unlocked] }
  broken: { format: json, credential: broken-webhook }
  slow: { format: slack, credential: slow-webhook }
`,
    })
    ana = await estate.teammate('ana', {
      'chat-webhook': receiver.url('chat'),
      'audit-webhook': receiver.url('audit'),
      'broken-webhook': receiver.url('broken'),
      'slow-webhook': receiver.url('slow'),
    })
    ana.cockpit.events.listen((event, payload) => events.push(`${event} ${JSON.stringify(payload)}`))
  }, 120_000)

  afterAll(async () => {
    await estate.close()
    await receiver.close()
  })

  const of = (hook: string) => receiver.received.filter((r) => r.hook === hook).map((r) => r.body)

  it('a failing and a hanging webhook never affect the deploy; the payloads say what happened', async () => {
    const run = await ana.cockpit.invoke('deploys.start', {
      service: 'billing',
      environment: 'qa',
      target: estate.shas.signed,
      rollback: { reason: 'Bad release: refunds double-charged' },
    })
    const forward = await ana.cockpit.invoke('deploys.start', {
      service: 'billing',
      environment: 'production-us',
      target: estate.shas.next,
    })
    expect((await finished(ana.cockpit, run)).state).toBe('succeeded')
    expect((await finished(ana.cockpit, forward)).state).toBe('succeeded')
    // Both runs ended while the slow webhook still held its requests open.
    expect(receiver.hanging.size).toBeGreaterThan(0)
    await vi.waitFor(() => expect(of('audit')).toHaveLength(2), { timeout: 30_000 })

    const short = estate.shas.next.slice(0, 7)
    await vi.waitFor(() => expect(of('chat')).toHaveLength(4), { timeout: 30_000 })
    expect(of('chat')).toEqual(
      expect.arrayContaining([
        { text: `ana started deploying billing ${short} to production-us ${forward.url ?? ''}`.trim() },
        { text: `ana deployed billing ${short} to production-us ${forward.url ?? ''}`.trim() },
      ]),
    )
    const rolled = of('chat').find((b) => (b as { text: string }).text.includes('rolled billing back'))
    expect((rolled as { text: string }).text).toContain('Bad release: refunds double-charged')
    expect(of('audit')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          event: 'rolled-back',
          workspace: 'Team test',
          service: 'billing',
          environment: 'qa',
          sha: estate.shas.signed,
          by: 'ana',
          runId: run.id,
          reason: 'Bad release: refunds double-charged',
        }),
        expect.objectContaining({ event: 'succeeded', environment: 'production-us', sha: estate.shas.next }),
      ]),
    )
    expect(
      of('broken')
        .map((b) => (b as WebhookPayload).event)
        .sort(),
    ).toEqual(['rolled-back', 'started', 'started', 'succeeded'])
  })

  it('locks set and lifted are posted', async () => {
    const lock = await ana.cockpit.invoke('coordination.lock', {
      scope: { kind: 'service', service: 'billing', environment: 'production-us' },
      reason: 'Rolled back: refunds double-charged',
      link: 'https://tickets.acme.test/PAY-9',
    })
    await ana.cockpit.invoke('coordination.unlock', { lockId: lock.id })
    await vi.waitFor(() => expect(of('audit')).toHaveLength(4), { timeout: 30_000 })
    const [locked, unlocked] = of('audit').slice(2) as WebhookPayload[]
    expect(locked).toMatchObject({ event: 'locked', by: 'ana <ana@acme.test>' })
    expect(locked?.lock).toEqual({
      id: lock.id,
      scope: 'billing in production-us',
      link: 'https://tickets.acme.test/PAY-9',
    })
    expect(unlocked).toMatchObject({ event: 'unlocked' })
    expect(unlocked?.lock?.id).toBe(lock.id)
    await vi.waitFor(
      () =>
        expect(
          of('chat').some((b) => (b as { text: string }).text.startsWith('ana locked billing in production-us')),
        ).toBe(true),
      { timeout: 30_000 },
    )
  })

  it('the webhook URL never appears in logs, the journal, the state folder or an event', async () => {
    // Closing waits for every post under way: the slow webhook times out and is logged by name.
    await ana.cockpit.close()
    expect(ana.logger.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^warn: webhook broken: answered HTTP 500/),
        expect.stringMatching(/^warn: webhook slow: timed out/),
      ]),
    )
    const files = readdirSync(ana.home, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => join(f.parentPath, f.name))
    expect(files.some((f) => f.endsWith('journal.jsonl'))).toBe(true)
    for (const text of [
      ...ana.logger.lines,
      ...events,
      ...files.map((f) => readFileSync(f).toString('latin1')),
      JSON.stringify(ana.notifier.ended),
    ]) {
      expect(text).not.toContain('SECRET')
      expect(text).not.toContain('hook-7f3a9c')
    }
  }, 60_000)
})
