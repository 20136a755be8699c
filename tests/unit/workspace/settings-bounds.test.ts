import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseWorkspace } from '../../../src/main/core/workspace/parse-workspace'

const file = fileURLToPath(new URL('../../fixtures/workspaces/unbounded-settings.trainyard.yaml', import.meta.url))
const text = readFileSync(file, 'utf8')

function withSettings(settings: string): ReturnType<typeof parseWorkspace> {
  return parseWorkspace(text.replace(/^settings:[\s\S]*$/m, `settings: ${settings}\n`), file)
}

describe('workspace settings are bounded', () => {
  it('refuses values that overflow a timer or starve the probes, each at its line with the range and the default', () => {
    const { workspace, problems } = parseWorkspace(text, file)
    expect(workspace).toBeNull()
    expect(problems.map((p) => [p.line, p.column, p.message, p.hint])).toEqual([
      [
        13,
        25,
        'fetchIntervalMinutes must be a whole number from 0 to 1440, not 40000',
        'write e.g. `fetchIntervalMinutes: 10` (minutes; 0 turns background fetching off)',
      ],
      [
        14,
        19,
        'probeTimeoutMs must be a whole number from 100 to 120000, not 5000000000',
        'write e.g. `probeTimeoutMs: 5000` (milliseconds per probe)',
      ],
      [
        15,
        21,
        'probeConcurrency must be a whole number from 1 to 64, not 100000',
        'write e.g. `probeConcurrency: 8` (probes at once)',
      ],
    ])
  })

  it('refuses fractions, negatives and text, and accepts the bounds themselves', () => {
    const messages = (settings: string) => withSettings(settings).problems.map((p) => p.message)
    expect(messages('{ fetchIntervalMinutes: 0.001 }')).toEqual([
      'fetchIntervalMinutes must be a whole number from 0 to 1440, not 0.001',
    ])
    expect(messages('{ probeConcurrency: -1 }')).toEqual([
      'probeConcurrency must be a whole number from 1 to 64, not -1',
    ])
    expect(messages('{ probeTimeoutMs: .inf }')).toEqual([
      'probeTimeoutMs must be a whole number from 100 to 120000, not Infinity',
    ])
    expect(messages('{ probeTimeoutMs: soon }')).toEqual(['probeTimeoutMs must be a whole number from 100 to 120000'])
    expect(messages('{ parallelDeploys: 0 }')).toEqual(['parallelDeploys must be a whole number from 1 to 16, not 0'])
    const edges = withSettings(
      '{ fetchIntervalMinutes: 1440, probeTimeoutMs: 100, probeConcurrency: 64, parallelDeploys: 16 }',
    )
    expect(edges.problems).toEqual([])
    expect(edges.workspace?.settings).toEqual({
      fetchIntervalMinutes: 1440,
      probeTimeoutMs: 100,
      probeConcurrency: 64,
      parallelDeploys: 16,
    })
    expect(withSettings('{ fetchIntervalMinutes: 0 }').workspace?.settings.fetchIntervalMinutes).toBe(0)
  })
})
