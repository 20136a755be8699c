/** Reads a secret from stdin: typed without echo on a terminal, or the whole of a pipe (trailing newline dropped). */
export function readSecret(
  prompt: string,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  if (!input.isTTY) {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = []
      input.on('data', (c: Buffer) => chunks.push(c))
      input.on('end', () =>
        resolve(
          Buffer.concat(chunks)
            .toString('utf8')
            .replace(/\r?\n$/, ''),
        ),
      )
      input.on('error', reject)
    })
  }
  return new Promise((resolve, reject) => {
    output.write(prompt)
    input.setRawMode(true)
    input.resume()
    let secret = ''
    const done = (error?: Error) => {
      input.setRawMode(false)
      input.pause()
      input.off('data', onData)
      output.write('\n')
      if (error) reject(error)
      else resolve(secret)
    }
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done()
        if (ch === '\u0003') return done(new Error('cancelled'))
        if (ch === '\u007f' || ch === '\b') secret = secret.slice(0, -1)
        else secret += ch
      }
    }
    input.on('data', onData)
  })
}
