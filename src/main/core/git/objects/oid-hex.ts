/**
 * Writes a 40-character hex SHA as 20 bytes at `out[at..]`, in JS (a native Buffer call per commit
 * costs more than the 40 characters). False, with `out` partly written, when `sha` is not 40 hex digits.
 */
export function writeHexOid(sha: string, out: Buffer, at: number): boolean {
  if (sha.length !== 40) return false
  for (let i = 0; i < 20; i++) {
    const hi = hexDigit(sha.charCodeAt(2 * i))
    const lo = hexDigit(sha.charCodeAt(2 * i + 1))
    if (hi < 0 || lo < 0) return false
    out[at + i] = hi * 16 + lo
  }
  return true
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  if (code >= 0x61 && code <= 0x66) return code - 0x57
  if (code >= 0x41 && code <= 0x46) return code - 0x37
  return -1
}
