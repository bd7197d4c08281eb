// The Word export's container and text, checked against Node's own zlib (an independent CRC-32
// and inflater): every entry of the ZIP our writer makes reads back byte for byte, and text that
// XML cannot hold (control characters) or must escape never breaks the document.
import fc from 'fast-check';
import { crc32 as zlibCrc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { docxParts, escapeXml, gridRows } from '../../src/core/docx';
import { getTemplate } from '../../src/core';
import { crc32, zip } from '../../src/core/zip';

/** The entries of a ZIP, read from its central directory, inflated by zlib, CRC checked by zlib. */
function readZip(bytes: Uint8Array): { name: string; data: Buffer }[] {
  const buf = Buffer.from(bytes);
  const end = buf.length - 22;
  expect(buf.readUInt32LE(end)).toBe(0x06054b50);
  let at = buf.readUInt32LE(end + 16);
  const out: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < buf.readUInt16LE(end + 10); i++) {
    expect(buf.readUInt32LE(at)).toBe(0x02014b50);
    const crc = buf.readUInt32LE(at + 16);
    const compressed = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    // The local header repeats what the central directory says.
    expect(buf.readUInt32LE(local + 14)).toBe(crc);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = inflateRawSync(buf.subarray(start, start + compressed));
    expect(zlibCrc32(data) >>> 0, name).toBe(crc);
    out.push({ name, data });
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return out;
}

describe('the ZIP writer', () => {
  it('computes the CRC-32 zlib computes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (data) => crc32(data) === zlibCrc32(data) >>> 0));
  });

  it('writes entries that zlib reads back exactly, in order, and the same bytes every time', async () => {
    const entries = [
      { name: '[Content_Types].xml', data: new TextEncoder().encode('<Types/>') },
      { name: 'word/document.xml', data: new TextEncoder().encode('年报'.repeat(5000)) },
      { name: 'empty', data: new Uint8Array(0) },
    ];
    const archive = await zip(entries);
    expect(readZip(archive).map((e) => [e.name, e.data.toString('utf8')])).toEqual(entries.map((e) => [e.name, new TextDecoder().decode(e.data)]));
    // Deflated: 30 000 bytes of repeated text take far less.
    expect(archive.length).toBeLessThan(2000);
    expect(Buffer.from(await zip(entries)).equals(Buffer.from(archive))).toBe(true);
  });
});

describe('text in the document', () => {
  it('escapes markup and drops what XML 1.0 cannot hold', () => {
    expect(escapeXml('A&B <w:p> "q" \u0001\u0008\uFFFE 𠀀 \t')).toBe('A&amp;B &lt;w:p&gt; &quot;q&quot;  𠀀 \t');
  });

  it('every part of a report is well-formed XML whatever the unit typed', () => {
    const template = getTemplate('gov-2021')!;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (typed) => {
        const parts = docxParts({ title: typed, template, sections: { overview: typed }, cells: {}, signature: { unit: typed, date: null } });
        for (const xml of Object.values(parts)) {
          // What would make the XML ill-formed: a raw < or & outside markup, a forbidden character.
          const text = xml.replace(/<[^<>]*>/g, '');
          expect(text).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot);)|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
        }
      }),
      // Each run writes a whole gov-2021 document (~90 KB of XML).
      { numRuns: 10 },
    );
  }, 20_000);
});

describe('the table grid', () => {
  it('covers every column of every row, continuing the cells that reach down', () => {
    const rows = gridRows(
      [
        [{ kind: 'head', text: 'a', rowspan: 2, colspan: 2 }, { kind: 'head', text: 'b' }],
        [{ kind: 'head', text: 'c' }],
        [{ kind: 'label', text: 'd' }],
      ],
      3,
    );
    const shape = rows.map((row) => row.map(({ placed, continued }) => `${placed.cell.text ?? ''}${continued ? '↓' : ''}×${placed.cols}`));
    // The short last row is filled out to the grid, as a browser draws it.
    expect(shape).toEqual([['a×2', 'b×1'], ['a↓×2', 'c×1'], ['d×1', '×1', '×1']]);
  });
});
