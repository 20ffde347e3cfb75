// Draws the app's PNG icons (192 and 512 px) with Node's zlib only: the install banner wants PNGs.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc(body));
  return Buffer.concat([length, body, sum]);
};

function icon(size) {
  const navy = [0x0f, 0x3d, 0x5e], white = [255, 255, 255], orange = [0xf2, 0x9d, 0x38];
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) {
      const u = x / size, v = y / size;
      let colour = navy;
      // A "K" and three bars, as in icon.svg.
      if (u > 0.25 && u < 0.34 && v > 0.31 && v < 0.69) colour = white;
      if (Math.abs(v - 0.5 + (u - 0.34) * 1.15) < 0.05 && u > 0.34 && u < 0.52 && v < 0.5) colour = white;
      if (Math.abs(v - 0.5 - (u - 0.34) * 1.15) < 0.05 && u > 0.34 && u < 0.52 && v >= 0.5) colour = white;
      if (u > 0.61 && u < 0.75 && ((v > 0.59 && v < 0.69) || (v > 0.43 && v < 0.55) || (v > 0.31 && v < 0.4))) colour = orange;
      row.push(...colour);
    }
    rows.push(Buffer.from(row));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

for (const size of [192, 512]) writeFileSync(new URL(`../static/icon-${size}.png`, import.meta.url), icon(size));
