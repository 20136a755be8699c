import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { WorkspaceDraft } from '../../../src/shared/models/workspace'
import { MemorySecretStore } from '../../../src/main/core/credentials/memory-store'
import { createWorkspace } from '../../../src/main/core/workspace/create-workspace'

const dir = mkdtempSync(join(tmpdir(), 'trainyard-create-guards-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function draft(): WorkspaceDraft {
  return {
    name: 'Guarded',
    endpoints: {
      rundeck: { kind: 'rundeck', url: 'https://rundeck.shop.test', apiVersion: 45, credential: 'rundeck-token' },
    },
    services: [
      { name: 'web', repo: { url: 'https://git.shop.test/web.git' }, defaultBranch: 'main', environments: {} },
    ],
    environments: [
      {
        name: 'dev',
        probe: { kind: 'none' },
        deploy: { provider: 'rundeck', endpoint: 'rundeck', jobId: 'deploy', options: { sha: '{sha}' } },
        requirePreviousSuccess: false,
      },
    ],
    regions: [{ name: 'eu', label: 'Europe', path: ['dev'], production: ['dev'] }],
  }
}

const create = (file: string, changed: WorkspaceDraft = draft(), overwrite = true) =>
  createWorkspace({ file, draft: changed, secrets: [], overwrite }, new MemorySecretStore())

describe('workspace.create writes only workspace files', () => {
  it('refuses a path whose name is not *.trainyard.yaml or .yml, even with overwrite, and touches nothing', async () => {
    const profile = join(dir, 'home', '.bashrc')
    mkdirSync(join(dir, 'home'))
    writeFileSync(profile, 'export PATH=/usr/bin\n')
    for (const file of [profile, join(dir, 'notes.yaml'), join(dir, 'team.trainyard.yaml.txt')]) {
      await expect(create(file)).rejects.toMatchObject({
        code: 'invalid-input',
        message: expect.stringMatching(/name ends in \.trainyard\.yaml/) as string,
      })
    }
    expect(readFileSync(profile, 'utf8')).toBe('export PATH=/usr/bin\n')
    expect(existsSync(join(dir, 'notes.yaml'))).toBe(false)
    expect((await create(join(dir, 'short.trainyard.yml'))).problems).toEqual([])
  })

  it('replaces a file only when it is a Trainyard workspace already', async () => {
    const notes = join(dir, 'notes.trainyard.yaml')
    writeFileSync(notes, 'shopping:\n  - milk\n')
    await expect(create(notes)).rejects.toThrow(/is not a Trainyard workspace, so it is not replaced/)
    expect(readFileSync(notes, 'utf8')).toBe('shopping:\n  - milk\n')

    const outside = join(dir, 'outside.txt')
    writeFileSync(outside, 'secret plans\n')
    const link = join(dir, 'link.trainyard.yaml')
    symlinkSync(outside, link)
    await expect(create(link)).rejects.toThrow(/is not a Trainyard workspace/)
    expect(readFileSync(outside, 'utf8')).toBe('secret plans\n')

    const team = join(dir, 'team.trainyard.yaml')
    writeFileSync(team, 'version: 1\nname: Old\nservices: []\nenvironments: {}\nregions: {}\n')
    expect((await create(team)).problems).toEqual([])
    expect(readFileSync(team, 'utf8')).toContain('name: Guarded')
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('refuses a line break or another control character in any name of the draft, writing nothing', async () => {
    const file = join(dir, 'controls.trainyard.yaml')
    const cases: [string, (d: WorkspaceDraft) => void][] = [
      ['name', (d) => (d.name = 'Team\nservices: []')],
      ['services[0].name', (d) => (d.services[0]!.name = 'web\r')],
      ['environments[0].name', (d) => (d.environments[0]!.name = 'dev\u2028prod')],
      ['regions[0].label', (d) => (d.regions[0]!.label = 'Europe\x1b]0;owned\x07')],
      ['endpoints.rundeck\n', (d) => (d.endpoints['rundeck\n'] = d.endpoints.rundeck!)],
      [
        'environments[0].deploy.options.sha\t',
        (d) => {
          const deploy = d.environments[0]!.deploy
          if (deploy?.provider === 'rundeck') deploy.options = { 'sha\t': '{sha}' }
        },
      ],
    ]
    for (const [field, change] of cases) {
      const changed = draft()
      change(changed)
      await expect(create(file, changed), field).rejects.toMatchObject({
        code: 'invalid-input',
        details: { field },
      })
    }
    expect(existsSync(file)).toBe(false)
  })
})
