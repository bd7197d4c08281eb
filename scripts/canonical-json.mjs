// Canonical JSON: the string whose SHA-256 is a revision's content hash
// (report_revisions.content_hash = hex sha256 of canonicalJson({ sections, cells, explanations })).
// No imports, so Node scripts and the Worker tests can both use it.

/**
 * JSON.stringify with every object's keys sorted (plain `.sort()`, i.e. by UTF-16 code units),
 * no whitespace, recursively; keys whose value is undefined are left out, as JSON.stringify does.
 */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

