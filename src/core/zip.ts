// A minimal ZIP writer for the Word export (a .docx is a ZIP of XML parts). Each entry is
// deflated by the platform's CompressionStream('deflate-raw') — Workers, browsers and Node all
// have it — so the container is the only code we keep: headers, a CRC-32 and the central
// directory (PKWARE APPNOTE 4.3). Why not a library: fflate's zipSync would add about 4 KB
// gzipped to a Worker that must stay under its bundle target, for the deflate the runtime
// already has; and why not store-only: the document part of a full report is ~100 KB of
// repetitive XML that deflates to a tenth. Entries carry a fixed date (1980-01-01), so the same
// report always gives the same bytes (and the same ETag).

export interface ZipEntry {
  /** ASCII path inside the archive, e.g. 'word/document.xml'. */
  name: string;
  data: Uint8Array;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, the polynomial ZIP uses). */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  // (Typed as ArrayBuffer-backed: what TextEncoder gives; nothing here shares memory.)
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const DEFLATE = 8;
/** 1980-01-01 00:00 in MS-DOS date/time: the earliest a ZIP can say, the same every time. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** The archive of `entries`, in their order ([Content_Types].xml first, as Office writes it). */
export async function zip(entries: ZipEntry[]): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = new TextEncoder().encode(entry.name);
    const body = await deflateRaw(entry.data);
    const crc = crc32(entry.data);
    // The fields local and central headers share, from "version needed" to the name's length.
    const common = (view: DataView, at: number) => {
      view.setUint16(at, 20, true); // version needed: 2.0 (deflate)
      view.setUint16(at + 2, 0, true); // flags: sizes known up front
      view.setUint16(at + 4, DEFLATE, true);
      view.setUint16(at + 6, 0, true); // time 00:00
      view.setUint16(at + 8, DOS_DATE, true);
      view.setUint32(at + 10, crc, true);
      view.setUint32(at + 14, body.length, true);
      view.setUint32(at + 18, entry.data.length, true);
      view.setUint16(at + 22, name.length, true);
      view.setUint16(at + 24, 0, true); // no extra field
    };
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    common(lv, 4);
    local.set(name, 30);

    const record = new Uint8Array(46 + name.length);
    const cv = new DataView(record.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true); // made by: 2.0, MS-DOS attributes
    common(cv, 6);
    // comment length, disk number, internal and external attributes: all 0
    cv.setUint32(42, offset, true);
    record.set(name, 46);

    parts.push(local, body);
    central.push(record);
    offset += local.length + body.length;
  }
  const centralSize = central.reduce((n, r) => n + r.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);

  const all = [...parts, ...central, end];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
