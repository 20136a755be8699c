import { request } from 'node:http'

/** What a raw request to a loopback server answered. */
export interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/**
 * One request to 127.0.0.1:`port` exactly as written (no client normalising the path); with `chunked`, the body
 * goes out in 64 KiB pieces without a length, as a stream would.
 */
export function rawRequest(
  port: number,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers },
      (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    const body = typeof init.body === 'string' ? Buffer.from(init.body) : init.body
    if (body && init.chunked) {
      for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024))
      req.end()
    } else req.end(body)
  })
}
