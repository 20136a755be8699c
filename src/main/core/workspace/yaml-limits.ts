/** Largest workspace file read: a large estate's file is tens of kilobytes. */
export const MAX_WORKSPACE_BYTES = 1 << 20

/** Deepest nesting of `[` and `{` read; a workspace needs five or six levels. */
export const MAX_FLOW_DEPTH = 64

/**
 * The offset where `[`/`{` nesting first passes MAX_FLOW_DEPTH, outside quotes and comments, or -1. The YAML
 * parser recurses per level: half a million levels take it seconds before it gives up on its stack.
 */
function tooDeepAt(text: string): number {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char === '"' || char === "'") {
      // A quoted scalar: skip to its closing quote (`\"` escapes in double quotes, `''` in single ones).
      for (i++; i < text.length && text[i] !== char; i++) if (char === '"' && text[i] === '\\') i++
    } else if (char === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      while (i < text.length && text[i] !== '\n') i++
    } else if (char === '[' || char === '{') {
      if (++depth > MAX_FLOW_DEPTH) return i
    } else if ((char === ']' || char === '}') && depth > 0) depth--
  }
  return -1
}

/** Why a file is too large or too deeply nested to parse safely, and where; undefined when it may be parsed. */
export function yamlLimitProblem(text: string): { at: number; message: string; hint: string } | undefined {
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > MAX_WORKSPACE_BYTES) {
    return {
      at: 0,
      message: `the workspace file is ${(bytes / (1 << 20)).toFixed(1)} MiB; Trainyard reads workspace files of up to ${MAX_WORKSPACE_BYTES / (1 << 20)} MiB`,
      hint: 'check that this is the workspace file; a workspace holds services, environments and endpoints, not data',
    }
  }
  const deep = tooDeepAt(text)
  if (deep < 0) return undefined
  return {
    at: deep,
    message: `\`[\` and \`{\` are nested more than ${MAX_FLOW_DEPTH} levels deep here`,
    hint: 'a workspace needs a few levels; close the brackets opened before this one',
  }
}
