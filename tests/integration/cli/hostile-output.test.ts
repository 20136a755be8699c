import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRundeckSimulator, type RundeckSimulator } from '../../../src/main/simulators/rundeck-sim'
import { startVersionEndpoint, type VersionEndpoint } from '../../../src/main/simulators/version-endpoint'
import { BASE_TIME, createRepo, removeDir, tmpDir } from '../../support/git-repo'
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server'
import { inKeyringSession, type SessionSteps } from '../../support/keyring-session'

const root = join(import.meta.dirname, '../../..')
const bin = join(root, 'bin/trainyard.mjs')
const JOB = '5a1c2d3e-0000-4000-8000-00000000b001'
const TOKEN = 'hostile-test-rundeck-token-19c2'

// What other people's systems can put in front of a terminal: window title, clipboard write (OSC 52), a link
// (OSC 8), clear screen + cursor home, a device status request (its answer is typed into the shell), a reset,
// carriage return, backspace, bell, and the 8-bit CSI (U+009B).
const ATTACK =
  '\x1b]0;owned-title\x07\x1b]52;c;b3duZWQ=\x07\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07' +
  '\x1b[2J\x1b[H\x1b[6n\x1bc\r\b\x07\u009b2Jend'
// eslint-disable-next-line no-control-regex -- the characters a terminal obeys
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/

describe('the CLI prints other systems’ text without their control sequences', () => {
  let dir: string
  let git: GitHttpServer
  let rundeck: RundeckSimulator
  let versions: VersionEndpoint
  let session: SessionSteps

  beforeAll(async () => {
    dir = tmpDir('trainyard-cli-hostile-')
    const served = createRepo({ dir: join(dir, 'served', 'billing.git'), bare: true })
    const [start] = served.fastImport(
      [
        { ref: 'refs/heads/master', parents: [], message: 'Start billing\n', time: BASE_TIME, files: { a: '1\n' } },
        {
          ref: 'refs/heads/master',
          parents: [0],
          message: `Fix ${ATTACK}\n`,
          time: BASE_TIME + 60,
          files: { a: '2\n' },
        },
        // A 10 MB subject: one line, no newline until the end.
        {
          ref: 'refs/heads/master',
          parents: [1],
          message: `Huge ${'x'.repeat(10_000_000)}\n`,
          time: BASE_TIME + 120,
          files: { a: '3\n' },
        },
      ],
      [],
    )
    git = await startGitHttpServer({ root: join(dir, 'served') })
    versions = await startVersionEndpoint()
    versions.set('billing', 'dev', start ?? '')
    // A version page that answers an attack instead of a SHA: its text reaches an error message.
    versions.set('billing', 'production', 'v1\x1b]0;owned\x07\x1b]52;c;b3duZWQ=\x07\x1b[2J\x1b[6nok')
    rundeck = await startRundeckSimulator({
      tokens: { [TOKEN]: 'cli' },
      jobs: [
        {
          id: JOB,
          name: 'deploy',
          project: 'acme',
          options: [{ name: 'sha', required: true }],
          durationMs: 200,
          log: [`deploying \${option.sha} ${ATTACK}`, '\x1b[32mgreen\x1b[0m done'],
        },
      ],
    })
    const workspace = join(dir, 'team.trainyard.yaml')
    writeFileSync(
      workspace,
      `version: 1
name: Hostile
endpoints:
  rundeck: { kind: rundeck, url: ${rundeck.url}, apiVersion: 45, credential: hostile-rundeck, project: acme }
services:
  - name: billing
    repo: ${git.repoUrl('billing')}
    defaultBranch: master
environments:
  dev:
    probe: { http: "${versions.url}/{service}/{environment}/version.json", json: /sha }
    deploy: { rundeck: rundeck, job: ${JOB}, options: { sha: "{sha}" } }
  production:
    probe: { http: "${versions.url}/{service}/{environment}/version.json", json: /sha }
    deploy: { rundeck: rundeck, job: ${JOB}, options: { sha: "{sha}" } }
regions:
  eu: { label: Europe, path: [dev, production] }
`,
    )
    const ty = `node ${bin} --workspace ${workspace}`
    session = await inKeyringSession(join(dir, 'home'), root, [
      ['set', `printf '${TOKEN}' | ${ty} credentials set hostile-rundeck`],
      ['fetch', `${ty} fetch --json`],
      ['compare', `${ty} compare billing ${start} master`],
      ['status', `${ty} status`],
      ['promote', `${ty} promote billing master --to dev --wait`],
      ['json', `${ty} compare billing ${start} master --json`],
    ])
    for (const step of ['set', 'fetch', 'compare', 'status', 'promote', 'json'])
      expect(session.code(step), `${step}: ${session.stderr(step).slice(0, 2000)}`).toBe('0')
  }, 300_000)

  afterAll(async () => {
    await Promise.all([git?.close(), rundeck?.close(), versions?.close()])
    removeDir(dir)
  })

  it('keeps commit subjects readable and inert, and cuts a 10 MB one to a line', () => {
    const text = session.stdout('compare')
    expect(text).not.toMatch(CONTROL)
    expect(text).toContain('Fix clickend')
    expect(text).toMatch(/Huge x{100,}…\n/)
    expect(text.length).toBeLessThan(5_000)
  })

  it('keeps a probe’s answer quoted in a warning inert', () => {
    const text = session.stdout('status') + session.stderr('status')
    expect(text).toContain('"v1ok" is neither a SHA')
    // The legend says what the drift numbers count.
    expect(text).toContain('+N: commits this environment has that the one before lacks')
    expect(text).not.toMatch(CONTROL)
  })

  it('prints a deploy log without its sequences, and no colours when piped', () => {
    const text = session.stdout('promote') + session.stderr('promote')
    expect(text).toMatch(/deploying [0-9a-f]{40} clickend/)
    expect(text).toContain('green done')
    expect(text).toMatch(/succeeded/)
    expect(text).not.toMatch(CONTROL)
  })

  it('keeps --json whole and escaped: the data stays, the terminal sees no control character', () => {
    const raw = session.stdout('json')
    expect(raw).not.toMatch(CONTROL)
    const comparison = JSON.parse(raw) as { ahead: { subject: string }[] }
    expect(comparison.ahead.map((c) => c.subject.length)).toEqual([5 + 10_000_000, `Fix ${ATTACK}`.length])
    expect(comparison.ahead[1]?.subject).toBe(`Fix ${ATTACK}`)
  })
})
