/** The value at an RFC 6901 JSON pointer, or undefined when nothing is there; throws on a malformed pointer. */
export function atPointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document
  if (!pointer.startsWith('/')) throw new SyntaxError(`A JSON pointer starts with "/": ${pointer}`)
  let node = document
  for (const escaped of pointer.slice(1).split('/')) {
    // Order matters (RFC 6901 §4): ~1 first, then ~0, so "~01" becomes "~1" and not "/".
    const token = escaped.replaceAll('~1', '/').replaceAll('~0', '~')
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined
      node = node[Number(token)]
    } else if (node !== null && typeof node === 'object') {
      if (!Object.hasOwn(node, token)) return undefined
      node = (node as Record<string, unknown>)[token]
    } else {
      return undefined
    }
  }
  return node
}
