import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadWorkspace } from '../../../src/main/core/workspace/load'

const broken = fileURLToPath(new URL('../../fixtures/workspaces/broken.trainyard.yaml', import.meta.url))

describe('a workspace file with many mistakes', () => {
  it('reports every one of them at once, in file order, as `trainyard validate` prints them', async () => {
    const { workspace, problems } = await loadWorkspace(broken)
    expect(workspace).toBeNull()
    expect(problems.every((p) => p.file === broken)).toBe(true)
    expect(problems.map((p) => `${p.line}:${p.column}: ${p.message}`)).toEqual([
      '4:34: the url of endpoint `rundeck` is not a valid URL: "rundeck.shop.test"',
      '5:7: endpoint `ci` is missing `credential`',
      '5:62: a secret is written in the file (`password:`)',
      '9:5: unknown key `defaultBrnch` in service #1',
      '10:11: service `web` is defined twice (first on line 7)',
      '14:20: unknown template variable `{servce}` in the URL of the probe of environment `dev`',
      '14:68: "sha" is not a JSON pointer',
      '15:24: `ci` is a jenkins endpoint, but the deploy job of environment `dev` needs a rundeck endpoint',
      '17:64: "commit ([0-9a-f]{40}" is not a valid regular expression: Unterminated group',
      '18:29: requirePreviousSuccess of environment `prod` must be true or false',
      '20:23: the path of region `main` names environment `staging`, which is not defined',
      '22:13: unknown time zone "Europe/Lundon"',
      '23:8: unknown weekday "thursdy" in the train cut',
      '24:32: "10:60" in the train deploy is not a time of day',
      '25:27: train name `ALICIA` is listed twice (first on line 25)',
      '27:17: unknown template variable `{regin}` in hotfixBranch',
      '28:1: unknown key `setings` in the workspace',
    ])
    expect(problems.every((p) => (p.hint ?? '').length > 0)).toBe(true)
    expect(JSON.stringify(problems)).not.toContain('hunter2')
  })
})
