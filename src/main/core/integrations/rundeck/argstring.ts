/**
 * Options of a Rundeck execution parsed from its `argstring` (`-SHA 3f2a9c1 -ENV "eu west"`), the
 * fallback when `job.options` is absent. Values may be single- or double-quoted; a flag with no value is "".
 */
export function parseArgstring(argstring: string | null | undefined): Record<string, string> {
  const options: Record<string, string> = {}
  if (!argstring) return options
  const tokens: string[] = []
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g
  let m: RegExpExecArray | null
  while ((m = re.exec(argstring))) tokens.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3] ?? ''))
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? ''
    if (!token.startsWith('-') || token.length < 2) continue
    const next = tokens[i + 1]
    const isValue = next !== undefined && !/^-[A-Za-z_]/.test(next)
    options[token.slice(1)] = isValue ? next : ''
    if (isValue) i++
  }
  return options
}
