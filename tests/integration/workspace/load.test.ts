import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { loadWorkspace } from '../../../src/main/core/workspace/load'

const example = fileURLToPath(new URL('../../../examples/acme.trainyard.yaml', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'trainyard-workspace-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('loadWorkspace', () => {
  it('loads a workspace file and records its absolute path', async () => {
    const file = join(dir, 'acme.trainyard.yaml')
    copyFileSync(example, file)
    const loaded = await loadWorkspace(file)
    expect(loaded.problems).toEqual([])
    expect(loaded.workspace?.file).toBe(file)
    expect(loaded.workspace?.name).toBe('Acme payments')
  })

  it('reports a missing file as a problem, not a throw', async () => {
    const file = join(dir, 'nowhere.trainyard.yaml')
    const loaded = await loadWorkspace(file)
    expect(loaded.workspace).toBeNull()
    expect(loaded.problems).toEqual([
      {
        file,
        line: 1,
        column: 1,
        message: `there is no workspace file at ${file}`,
        hint: 'check the path, or create a workspace from the start screen',
      },
    ])
  })

  it('reports a folder given as a workspace file', async () => {
    const folder = join(dir, 'folder')
    mkdirSync(folder)
    const loaded = await loadWorkspace(folder)
    expect(loaded.problems[0]?.message).toBe(`${folder} is a folder, not a workspace file`)
  })

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file', async () => {
    const file = join(dir, 'locked.trainyard.yaml')
    writeFileSync(file, 'name: x\n')
    chmodSync(file, 0o000)
    const loaded = await loadWorkspace(file)
    expect(loaded.problems[0]).toMatchObject({
      file,
      line: 1,
      message: `the workspace file ${file} cannot be read (EACCES)`,
      hint: 'check the file permissions',
    })
  })

  it('reports problems of a file on disk with its path', async () => {
    const file = join(dir, 'typo.trainyard.yaml')
    writeFileSync(file, 'version: 1\nname: Typo\nservise: []\n')
    const loaded = await loadWorkspace(file)
    expect(loaded.problems).toContainEqual({
      file,
      line: 3,
      column: 1,
      message: 'unknown key `servise` in the workspace',
      hint: 'did you mean `services`?',
    })
  })
})
