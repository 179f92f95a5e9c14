import { Sfc32, sha256 } from '../engine/index.js';
import { encodePng } from './png-codec.js';

/** What the offline painter draws one image from. */
export interface PaintRequest {
  /** Text that picks the palette and the motif (the row's category, or the prompt when there is none). Example: `'Books'`. */
  theme: string;
  /** Text drawn as the label's barcode and that shades the tiles (the image's request key: its prompt, row, seed and number). */
  label: string;
  /** The asset's seed. */
  seed: number;
  /** Which image of its row (0-based), so several images per row differ. */
  index: number;
  width: number;
  height: number;
}

/** Motifs, one per theme (chosen by the theme's hash). */
const MOTIFS = ['disc', 'square', 'triangle', 'diamond', 'ring'] as const;
type Motif = (typeof MOTIFS)[number];

/** Stripes in the label's barcode: 64 bits of the label's hash. */
const BARCODE_BITS = 64;

/**
 * A label card drawn from a row, with no network and no key: a background whose hue comes from
 * the theme (so images of one category share a palette, which an image feature can learn) in
 * tiles shaded per label, a
 * motif shape per theme placed and sized by the label and seed, and a white label strip with a
 * barcode of the label's hash (so two products never share an image). Integer arithmetic on a
 * seeded stream and a pure-JavaScript PNG encoder make the bytes identical on every machine.
 */
export function paintLabelCard(request: PaintRequest): Uint8Array {
  const { width, height } = request;
  const themeHash = sha256(`theme:${request.theme}`);
  const labelHash = sha256(`label:${request.label}`);
  const random = new Sfc32([request.seed, request.index, parseInt(labelHash.slice(0, 8), 16), parseInt(themeHash.slice(0, 8), 16)]);
  const hue = parseInt(themeHash.slice(0, 4), 16) % 360;
  const motif: Motif = MOTIFS[parseInt(themeHash.slice(4, 8), 16) % MOTIFS.length];
  const top = hsl(hue, 55, 30 + random.int(0, 10));
  const bottom = hsl(hue, 65, 62 + random.int(0, 10));
  const shape = hsl((hue + 180 + random.int(-20, 20)) % 360, 70, 55);
  const stripH = Math.max(4, Math.floor(height / 6));
  const sceneH = height - stripH;
  const minSide = Math.min(width, sceneH);
  const radius = Math.floor(minSide * (0.18 + random.next() * 0.14));
  const cx = Math.floor(width * (0.3 + random.next() * 0.4));
  const cy = Math.floor(sceneH * (0.3 + random.next() * 0.4));
  // A backdrop of tiles a little lighter or darker, drawn per label: two products of one category
  // share a palette (what an image feature learns) but not a picture (what near-duplicate checks see).
  const tiles = Array.from({ length: TILES * TILES }, () => random.int(-TILE_SHADE, TILE_SHADE));
  const bits = barcodeBits(labelHash);
  const margin = Math.max(1, Math.floor(width / 16));
  const barWidth = Math.max(1, Math.floor((width - 2 * margin) / BARCODE_BITS));
  const barTop = sceneH + Math.max(1, Math.floor(stripH / 5));
  const barBottom = height - Math.max(1, Math.floor(stripH / 5));

  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let colour: readonly [number, number, number];
      if (y >= sceneH) {
        const bar = Math.floor((x - margin) / barWidth);
        const inBars = x >= margin && bar < BARCODE_BITS && y >= barTop && y < barBottom;
        colour = inBars && bits[bar] ? INK : PAPER;
      } else if (insideMotif(motif, x - cx, y - cy, radius)) {
        colour = shape;
      } else {
        const shade = tiles[Math.floor((y * TILES) / sceneH) * TILES + Math.floor((x * TILES) / width)];
        colour = shaded(mix(top, bottom, y, sceneH), shade);
      }
      const p = (y * width + x) * 3;
      data[p] = colour[0];
      data[p + 1] = colour[1];
      data[p + 2] = colour[2];
    }
  }
  return encodePng({ width, height, channels: 3, data });
}

const INK = [24, 24, 24] as const;
/** Backdrop tiles per side, and how far (in 8-bit levels) a tile's shade may move from the gradient. */
const TILES = 6;
const TILE_SHADE = 28;

function shaded(c: readonly number[], by: number): [number, number, number] {
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
  return [clamp(c[0] + by), clamp(c[1] + by), clamp(c[2] + by)];
}
const PAPER = [250, 250, 246] as const;

function barcodeBits(hash: string): boolean[] {
  const bits: boolean[] = [];
  for (let i = 0; i < BARCODE_BITS / 4; i++) {
    const nibble = parseInt(hash[i], 16);
    for (let b = 3; b >= 0; b--) bits.push(((nibble >> b) & 1) === 1);
  }
  return bits;
}

/** Integer tests only, so no floating-point rounding can differ between machines. */
function insideMotif(motif: Motif, dx: number, dy: number, r: number): boolean {
  switch (motif) {
    case 'disc':
      return dx * dx + dy * dy <= r * r;
    case 'square':
      return Math.abs(dx) <= r && Math.abs(dy) <= r;
    case 'triangle':
      return dy <= r && dy >= -r && 2 * Math.abs(dx) <= dy + r;
    case 'diamond':
      return Math.abs(dx) + Math.abs(dy) <= r;
    case 'ring': {
      const d = dx * dx + dy * dy;
      const inner = Math.floor((r * 3) / 5);
      return d <= r * r && d >= inner * inner;
    }
  }
}

function mix(a: readonly number[], b: readonly number[], y: number, span: number): [number, number, number] {
  const t = span <= 1 ? 0 : y / (span - 1);
  return [Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t), Math.round(a[2] + (b[2] - a[2]) * t)];
}

/** HSL (degrees, percent, percent) to 8-bit RGB. */
function hsl(h: number, s: number, l: number): [number, number, number] {
  const sat = s / 100;
  const light = l / 100;
  const k = (n: number) => (n + h / 30) % 12;
  const a = sat * Math.min(light, 1 - light);
  const f = (n: number) => light - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(255 * f(0)), Math.round(255 * f(8)), Math.round(255 * f(4))];
}
