// The content of a report revision and its fingerprint. canonicalJson is the string whose
// SHA-256 is a revision's content hash (report_revisions.content_hash); it must stay identical
// to scripts/canonical-json.mjs, which the seed and Node scripts use (test/unit/content.test.ts).

/**
 * JSON.stringify with every object's keys sorted (plain `.sort()`, i.e. by UTF-16 code units),
 * no whitespace, recursively; keys whose value is undefined are left out and undefined array
 * items become null, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const members = Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}
