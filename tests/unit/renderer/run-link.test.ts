import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { httpLink } from '../../../src/renderer/src/lib/links'

const root = join(import.meta.dirname, '../../..')

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? svelteFiles(join(dir, e.name)) : e.name.endsWith('.svelte') ? [join(dir, e.name)] : [],
  )
}

describe('links from providers in the renderer', () => {
  it('keep absolute http(s) URLs and drop every other scheme', () => {
    expect(httpLink('https://rundeck.acme.internal/project/p/execution/show/12')).toBe(
      'https://rundeck.acme.internal/project/p/execution/show/12',
    )
    expect(httpLink('http://127.0.0.1:4440/execution/show/1')).toBe('http://127.0.0.1:4440/execution/show/1')
    for (const hostile of [
      'javascript:alert(document.cookie)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      '//evil.example/run',
      '/execution/show/1',
      'not a url',
      '',
    ])
      expect(httpLink(hostile), hostile).toBeUndefined()
    expect(httpLink(undefined)).toBeUndefined()
  })

  it('are the only hrefs the renderer binds: each `href={…}` goes through httpLink', () => {
    const unguarded = svelteFiles(join(root, 'src/renderer/src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/href=\{([^}]*)\}/g)]
        .filter((m) => !(m[1] ?? '').startsWith('httpLink('))
        .map((m) => `${relative(root, file)}: ${m[0]}`),
    )
    expect(unguarded).toEqual([])
  })
})
