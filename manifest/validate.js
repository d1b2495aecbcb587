#!/usr/bin/env node
// Validates a filled Teams app manifest offline: the JSON schema bundled in @microsoft/app-manifest (chosen by the
// manifest's $schema URL, so nothing is downloaded) plus the icon rules the schema cannot express (sizes, an outline
// that is white on transparent). Prints every problem and exits 1 if there is any.
// Usage: node manifest/validate.js <dir-with-manifest.json-and-icons>
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { createRequire } = require('node:module');

const toolsRequire = createRequire(path.join(__dirname, '..', 'tools', 'package.json'));

const ICON_SIZES = { color: 192, outline: 32 };

/** Decodes an 8-bit, non-interlaced PNG into { width, height, channels, pixels }; enough for icons we check. */
function decodePng(file) {
  const data = fs.readFileSync(file);
  if (!data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    throw new Error('not a PNG file');
  }
  let offset = 8;
  let header;
  const idat = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), bitDepth: body[8], colorType: body[9], interlace: body[12] };
    } else if (type === 'IDAT') {
      idat.push(body);
    }
    offset += 12 + length;
  }
  if (!header) throw new Error('PNG has no IHDR chunk');
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[header.colorType];
  if (header.bitDepth !== 8 || !channels || header.interlace !== 0) {
    throw new Error(`unsupported PNG layout (bit depth ${header.bitDepth}, colour type ${header.colorType}, interlace ${header.interlace})`);
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = header.width * channels;
  const pixels = Buffer.alloc(stride * header.height);
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? pixels[y * stride + x - channels] : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const upLeft = y > 0 && x >= channels ? pixels[(y - 1) * stride + x - channels] : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      if (predictor === undefined) throw new Error(`unknown PNG filter ${filter}`);
      pixels[y * stride + x] = (line[x] + predictor) & 0xff;
    }
  }
  return { width: header.width, height: header.height, channels, pixels };
}

function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function checkIcon(kind, file) {
  const problems = [];
  let image;
  try {
    image = decodePng(file);
  } catch (error) {
    return [`icons.${kind} (${path.basename(file)}): ${error.message}`];
  }
  const size = ICON_SIZES[kind];
  if (image.width !== size || image.height !== size) {
    problems.push(`icons.${kind}: must be ${size}x${size}, is ${image.width}x${image.height}`);
  }
  if (kind === 'outline') {
    if (image.channels !== 4 && image.channels !== 2) {
      problems.push('icons.outline: must have an alpha channel (white on transparent)');
      return problems;
    }
    let transparent = 0;
    let notWhite = 0;
    for (let i = 0; i < image.pixels.length; i += image.channels) {
      const alpha = image.pixels[i + image.channels - 1];
      const colour = image.pixels.subarray(i, i + image.channels - 1);
      if (alpha === 0) transparent++;
      else if (colour.some((c) => c !== 0xff)) notWhite++;
    }
    if (transparent === 0) problems.push('icons.outline: has no transparent pixel');
    if (notWhite > 0) problems.push(`icons.outline: ${notWhite} visible pixels are not white`);
  }
  return problems;
}

async function main() {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node manifest/validate.js <dir-with-manifest.json-and-icons>');
    process.exit(2);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const { AppManifestUtils } = toolsRequire('@microsoft/app-manifest');
  const schemaErrors = await AppManifestUtils.validateAgainstSchema(manifest);
  for (const error of schemaErrors) console.error(`schema: ${error}`);
  console.log(`manifest ${manifest.manifestVersion}: ${schemaErrors.length} schema errors`);

  const iconProblems = Object.keys(ICON_SIZES)
    .filter((kind) => manifest.icons?.[kind])
    .flatMap((kind) => checkIcon(kind, path.join(dir, manifest.icons[kind])));
  for (const problem of iconProblems) console.error(problem);
  console.log(`icons: ${iconProblems.length} problems`);

  process.exit(schemaErrors.length + iconProblems.length === 0 ? 0 : 1);
}

main().catch((error) => {
  console.error(`validate: ${error.message}`);
  process.exit(1);
});
