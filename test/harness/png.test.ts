import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePng } from './png.js';

const chunk = (type: string, body: Buffer) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  // The decoder does not check CRCs: zeros stand in for them.
  return Buffer.concat([length, Buffer.from(type, 'latin1'), body, Buffer.alloc(4)]);
};

/** The PNG specification's Paeth predictor, as its sample code writes it. */
function paethOf(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  if (pa <= pb && pa <= pc) return a;
  if (pb <= pc) return b;
  return c;
}

/** Encodes 8-bit pixels, row `y` with filter `y % 5`, so every filter type is exercised. */
function encode(width: number, height: number, channels: 3 | 4, pixels: number[]): Buffer {
  const stride = width * channels;
  const at = (row: number, i: number) => (row < 0 || i < 0 ? 0 : (pixels[row * stride + i] ?? 0));
  const rows: number[] = [];
  for (let row = 0; row < height; row += 1) {
    const filter = row % 5;
    rows.push(filter);
    for (let i = 0; i < stride; i += 1) {
      const left = at(row, i - channels);
      const up = at(row - 1, i);
      const upLeft = at(row - 1, i - channels);
      const predicted = [0, left, up, (left + up) >> 1, paethOf(left, up, upLeft)][filter] ?? 0;
      rows.push((at(row, i) - predicted) & 0xff);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, channels === 4 ? 6 : 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('decodePng', () => {
  it('reads back every pixel of RGB and RGBA images, whatever filter each row uses', () => {
    const image = fc
      .record({
        width: fc.integer({ min: 1, max: 7 }),
        height: fc.integer({ min: 1, max: 11 }),
        channels: fc.constantFrom<3 | 4>(3, 4),
      })
      .chain(({ width, height, channels }) =>
        fc
          .array(fc.integer({ min: 0, max: 255 }), {
            minLength: width * height * channels,
            maxLength: width * height * channels,
          })
          .map((pixels) => ({ width, height, channels, pixels })),
      );
    fc.assert(
      fc.property(image, ({ width, height, channels, pixels }) => {
        const decoded = decodePng(encode(width, height, channels, pixels));
        expect([decoded.width, decoded.height]).toEqual([width, height]);
        for (let y = 0; y < height; y += 1) {
          for (let x = 0; x < width; x += 1) {
            const at = (y * width + x) * channels;
            expect(decoded.pixel(x, y)).toEqual({
              r: pixels[at],
              g: pixels[at + 1],
              b: pixels[at + 2],
            });
          }
        }
      }),
    );
  });

  it('refuses what it does not decode, saying what it is', () => {
    expect(() => decodePng(Buffer.from('GIF89a'))).toThrow('not a PNG');
    const png = encode(1, 1, 3, [1, 2, 3]);
    png[24] = 16; // bit depth
    expect(() => decodePng(png)).toThrow('PNG of bit depth 16, colour type 2');
  });
});
