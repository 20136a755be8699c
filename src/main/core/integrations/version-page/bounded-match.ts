import { createContext, Script } from 'node:vm'
import { AppError } from '../../../../shared/errors'

/** Most characters of an answer a probe's pattern is run over: a version page is a few kilobytes. */
export const MAX_MATCH_INPUT = 256 * 1024

/** Longest a probe's pattern may run on one answer before it is stopped. */
export const MATCH_TIME_LIMIT_MS = 1000

// One sandbox for every match: the time limit of `vm` interrupts a backtracking regex, which nothing else in
// plain JavaScript can (the workspace reader refuses the known catastrophic shapes; this catches the rest).
let sandbox: { context: object; script: Script } | undefined

/**
 * The first match of a probe's pattern (multiline) in the first MAX_MATCH_INPUT characters of `text`: its first
 * group, else the whole match. A pattern that runs past MATCH_TIME_LIMIT_MS is stopped with `invalid-workspace`.
 */
export function boundedMatch(pattern: string, text: string, what: string): string | undefined {
  sandbox ??= {
    context: createContext({}),
    script: new Script(
      'var found = new RegExp(pattern, "m").exec(input); found === null ? undefined : found[1] ?? found[0]',
    ),
  }
  const context = sandbox.context as { pattern?: string; input?: string }
  context.pattern = pattern
  context.input = text.length > MAX_MATCH_INPUT ? text.slice(0, MAX_MATCH_INPUT) : text
  try {
    return sandbox.script.runInContext(sandbox.context, { timeout: MATCH_TIME_LIMIT_MS }) as string | undefined
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error
    throw new AppError(
      'invalid-workspace',
      `${what}: its pattern "${pattern}" ran for more than ${MATCH_TIME_LIMIT_MS / 1000} s on the answer and was stopped; simplify it (no repeated group that itself repeats).`,
    )
  } finally {
    context.input = undefined
  }
}
