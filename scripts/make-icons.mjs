// Draws Trainyard's icons (a diamond on rails) as PNGs into resources/: the app icon and the tray states.
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buf) => {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type, data) => {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

function png(size, pixel) {
  const rows = []
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4)
    for (let x = 0; x < size; x++) row.set(pixel((x + 0.5) / size, (y + 0.5) / size), 1 + x * 4)
    rows.push(row)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8
  ihdr[9] = 6
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function icon(color, background) {
  return (u, v) => {
    const diamond = Math.abs(u - 0.5) + Math.abs(v - 0.42) < 0.3
    const rail =
      (Math.abs(v - 0.82) < 0.035 && u > 0.12 && u < 0.88) ||
      (Math.abs(v - 0.9) < 0.02 && Math.abs(((u * 8) % 1) - 0.5) < 0.18 && u > 0.12 && u < 0.88)
    if (diamond || rail) return color
    if (background) {
      const r = 0.16
      const dx = Math.max(Math.abs(u - 0.5) - (0.5 - r), 0)
      const dy = Math.max(Math.abs(v - 0.5) - (0.5 - r), 0)
      if (dx * dx + dy * dy < r * r) return background
    }
    return [0, 0, 0, 0]
  }
}

writeFileSync('resources/icon.png', png(512, icon([109, 140, 255, 255], [28, 32, 39, 255])))
writeFileSync('resources/tray-idle.png', png(32, icon([150, 160, 175, 255])))
writeFileSync('resources/tray-deploying.png', png(32, icon([66, 133, 244, 255])))
writeFileSync('resources/tray-failed.png', png(32, icon([229, 62, 62, 255])))
console.log('icons written to resources/')
