/** A piece of a message: plain text, or what the message wrote between backticks. */
export interface TextPart {
  text: string
  code: boolean
}

/** Splits a message at its backtick pairs ("add a `trains:` section") into text and code; a lone backtick stays text. */
export function codeSpans(message: string): TextPart[] {
  const parts: TextPart[] = []
  const pattern = /`([^`]+)`/g
  let last = 0
  for (const match of message.matchAll(pattern)) {
    if (match.index > last) parts.push({ text: message.slice(last, match.index), code: false })
    parts.push({ text: match[1] ?? '', code: true })
    last = match.index + match[0].length
  }
  if (last < message.length) parts.push({ text: message.slice(last), code: false })
  return parts
}
