import { inflateSync } from 'node:zlib';

/** One pixel, 0-255 per channel. */
export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

/** A decoded image: its size and the colour at a point. */
export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  pixel(x: number, y: number): Rgb;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Colour types: 2 is RGB, 6 is RGBA (what browsers' screenshots are). */
const CHANNELS: Readonly<Record<number, number>> = { 2: 3, 6: 4 };

/** The Paeth predictor of the PNG specification (filter type 4). */
function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}

/**
 * Decodes a screenshot: 8-bit RGB or RGBA, not interlaced (what Chromium writes), so a test can
 * check what a page drew without an image library. Anything else throws, saying what it is.
 */
export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('not a PNG');
  let offset = SIGNATURE.length;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    offset += length + 12;
  }
  if (!header) throw new Error('PNG without IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [bitDepth, colourType = -1, , , interlace] = header.subarray(8);
  const channels = CHANNELS[colourType];
  if (bitDepth !== 8 || channels === undefined || interlace !== 0) {
    throw new Error(
      `PNG of bit depth ${bitDepth}, colour type ${colourType}, interlace ${interlace}: only 8-bit RGB(A), not interlaced, is decoded`,
    );
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let row = 0; row < height; row += 1) {
    const filter = raw[row * (stride + 1)];
    for (let i = 0; i < stride; i += 1) {
      const value = raw[row * (stride + 1) + 1 + i] ?? 0;
      const left = i >= channels ? (pixels[row * stride + i - channels] ?? 0) : 0;
      const up = row > 0 ? (pixels[(row - 1) * stride + i] ?? 0) : 0;
      const upLeft =
        row > 0 && i >= channels ? (pixels[(row - 1) * stride + i - channels] ?? 0) : 0;
      const predicted = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter ?? 0];
      if (predicted === undefined) throw new Error(`PNG row ${row}: unknown filter ${filter}`);
      pixels[row * stride + i] = (value + predicted) & 0xff;
    }
  }
  return {
    width,
    height,
    pixel(x, y) {
      const at = Math.round(y) * stride + Math.round(x) * channels;
      return { r: pixels[at] ?? 0, g: pixels[at + 1] ?? 0, b: pixels[at + 2] ?? 0 };
    },
  };
}
