import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createNodeAppState } from '../../../src/main/core/app-state/node-app-state'

const dirs: string[] = []
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-app-state-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('app state in Node (conf)', () => {
  it('starts from the defaults', () => {
    const state = createNodeAppState({ cwd: freshDir() })
    expect(state.recentWorkspaces()).toEqual([])
    expect(state.preferences()).toEqual({ theme: 'system', lastView: 'environments' })
    expect(state.windowBounds()).toBeUndefined()
  })

  it('keeps recent workspaces most recent first, without repeats, at most ten, across reopenings', () => {
    const cwd = freshDir()
    const state = createNodeAppState({ cwd })
    for (let i = 0; i < 12; i++) state.rememberWorkspace(`/teams/w${i}.trainyard.yaml`)
    state.rememberWorkspace('/teams/w5.trainyard.yaml')
    state.forgetWorkspace('/teams/w11.trainyard.yaml')
    const reopened = createNodeAppState({ cwd })
    expect(reopened.recentWorkspaces()).toEqual([
      '/teams/w5.trainyard.yaml',
      '/teams/w10.trainyard.yaml',
      '/teams/w9.trainyard.yaml',
      '/teams/w8.trainyard.yaml',
      '/teams/w7.trainyard.yaml',
      '/teams/w6.trainyard.yaml',
      '/teams/w4.trainyard.yaml',
      '/teams/w3.trainyard.yaml',
      '/teams/w2.trainyard.yaml',
    ])
  })

  it('stores preferences and window bounds', () => {
    const cwd = freshDir()
    const state = createNodeAppState({ cwd })
    expect(state.setPreferences({ theme: 'dark' })).toEqual({ theme: 'dark', lastView: 'environments' })
    state.setWindowBounds({ x: 10, y: 20, width: 1200, height: 800, maximized: false })
    const reopened = createNodeAppState({ cwd })
    expect(reopened.preferences()).toEqual({ theme: 'dark', lastView: 'environments' })
    expect(reopened.windowBounds()).toEqual({ x: 10, y: 20, width: 1200, height: 800, maximized: false })
  })

  it('migrates a schema-0 file with the old key names to schema 1', () => {
    const cwd = freshDir()
    const old = {
      recent: ['/teams/acme.trainyard.yaml', '/teams/shop.trainyard.yaml', 42],
      theme: 'light',
      view: 'graph',
      bounds: { x: 5, y: 6, width: 900, height: 700 },
    }
    writeFileSync(join(cwd, 'config.json'), JSON.stringify(old))
    const state = createNodeAppState({ cwd })
    expect(state.recentWorkspaces()).toEqual(['/teams/acme.trainyard.yaml', '/teams/shop.trainyard.yaml'])
    expect(state.preferences()).toEqual({ theme: 'light', lastView: 'graph' })
    expect(state.windowBounds()).toEqual({ x: 5, y: 6, width: 900, height: 700, maximized: false })
    const onDisk = JSON.parse(readFileSync(state.path, 'utf8')) as Record<string, unknown>
    expect(Object.keys(onDisk).sort()).toEqual(['__internal__', 'preferences', 'recentWorkspaces', 'windowBounds'])
    expect(onDisk.__internal__).toEqual({ migrations: { version: '1.0.0' } })
    // Reopening does not migrate again: a preference changed since survives.
    state.setPreferences({ theme: 'dark' })
    expect(createNodeAppState({ cwd }).preferences().theme).toBe('dark')
  })

  it('reads a hand-edited value it does not know as the default', () => {
    const cwd = freshDir()
    writeFileSync(
      join(cwd, 'config.json'),
      JSON.stringify({
        __internal__: { migrations: { version: '1.0.0' } },
        preferences: { theme: 'purple', lastView: 'trains' },
        recentWorkspaces: 'oops',
      }),
    )
    const state = createNodeAppState({ cwd })
    expect(state.preferences()).toEqual({ theme: 'system', lastView: 'trains' })
    expect(state.recentWorkspaces()).toEqual([])
  })
})
