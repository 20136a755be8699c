import { join } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../../..')
const text = "import { app } from 'electron'\nexport const name: string = app.getName()\n"

describe('the lint boundary', () => {
  it('fails when core imports electron, and allows it in the shell', async () => {
    const eslint = new ESLint({ cwd: root })
    // The text is linted as if it were these files; nothing is written to the tree.
    const [core] = await eslint.lintText(text, { filePath: join(root, 'src/main/core/logger.ts') })
    expect(core?.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)).toEqual([
      "'electron' import is restricted from being used. Only src/main/shell and src/preload may import electron: the core runs in plain Node.",
    ])
    const [shell] = await eslint.lintText(text, { filePath: join(root, 'src/main/shell/window-options.ts') })
    expect(shell?.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([])
  }, 120_000)
})
