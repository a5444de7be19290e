#!/usr/bin/env node
// Draws the app icon (build/icon.png, 1024x1024 RGBA) with no image tools: shapes as signed
// distances, anti-aliased by coverage, written as a PNG with node:zlib. Run it again after a
// design change: node build/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 1024;

function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function png(width, height, rgba) {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// Signed distances (negative inside), in pixels.
const roundRect = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const coverage = (d) => Math.min(1, Math.max(0, 0.5 - d));

function over(dst, [r, g, b], a) {
  dst[0] = dst[0] * (1 - a) + r * a;
  dst[1] = dst[1] * (1 - a) + g * a;
  dst[2] = dst[2] * (1 - a) + b * a;
  dst[3] = dst[3] * (1 - a) + 255 * a;
}

const pixels = Buffer.alloc(SIZE * SIZE * 4);
const s = SIZE / 1024;
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    const px = [0, 0, 0, 0];
    const fx = x + 0.5;
    const fy = y + 0.5;
    // Tile: a blue gradient rounded square.
    const t = fy / SIZE;
    over(px, [30 + 20 * t, 110 - 40 * t, 200 - 50 * t], coverage(roundRect(fx, fy, 512 * s, 512 * s, 460 * s, 460 * s, 190 * s)));
    // Two buddies: heads and shoulders, green behind blue.
    const buddy = (cx, cy, color) => {
      over(px, color, coverage(circle(fx, fy, cx * s, cy * s, 95 * s)));
      const body = Math.max(circle(fx, fy, cx * s, (cy + 250) * s, 165 * s), fy - (cy + 230) * s);
      over(px, color, coverage(body));
    };
    buddy(400, 330, [95, 200, 80]);
    buddy(600, 400, [120, 190, 255]);
    // A white wire along the bottom: the gateway.
    over(px, [255, 255, 255], coverage(roundRect(fx, fy, 512 * s, 820 * s, 330 * s, 34 * s, 34 * s)));
    const i = (y * SIZE + x) * 4;
    // Blending started from transparent black, so the colour is premultiplied: undo that.
    const k = px[3] > 0 ? 255 / px[3] : 0;
    pixels[i] = Math.round(Math.min(255, px[0] * k));
    pixels[i + 1] = Math.round(Math.min(255, px[1] * k));
    pixels[i + 2] = Math.round(Math.min(255, px[2] * k));
    pixels[i + 3] = Math.round(px[3]);
  }
}
const out = new URL('./icon.png', import.meta.url);
writeFileSync(out, png(SIZE, SIZE, pixels));
console.log(`wrote ${out.pathname}`);
