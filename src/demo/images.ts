// Tiny PNG pictures for the demo shipments, drawn in code so the repository ships no binaries.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A width×height RGB PNG whose pixels come from paint(x, y) → [r, g, b]. */
export function drawPng(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A landscape with a vehicle-ish silhouette in the given body colour. */
export function vehiclePicture(body: [number, number, number], w = 320, h = 200): Buffer {
  return drawPng(w, h, (x, y) => {
    const sky: [number, number, number] = [170 - y / 4, 200 - y / 5, 235];
    const ground: [number, number, number] = [90, 110, 95];
    const inBody = y > h * 0.45 && y < h * 0.72 && x > w * 0.15 && x < w * 0.85;
    const inCabin = y > h * 0.3 && y <= h * 0.45 && x > w * 0.3 && x < w * 0.68;
    const wheel = (cx: number) => (x - cx) ** 2 + (y - h * 0.74) ** 2 < (h * 0.09) ** 2;
    if (wheel(w * 0.3) || wheel(w * 0.7)) return [30, 30, 30];
    if (inCabin) return [150, 190, 220];
    if (inBody) return body;
    return y > h * 0.78 ? ground : [Math.round(sky[0]), Math.round(sky[1]), sky[2]];
  });
}

export const LOGO_PNG = (): Buffer =>
  drawPng(96, 96, (x, y) => {
    const d = Math.hypot(x - 48, y - 48);
    if (d < 40 && d > 28) return [20, 110, 180];
    if (Math.abs(x - 48) < 6 && y > 20 && y < 76) return [240, 150, 30];
    return [255, 255, 255];
  });
