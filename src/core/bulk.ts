// Bulk set-up from CSV (issue 13 item 3): the pure part. A spreadsheet of units (code, name,
// parent) or of people (email, name, role, units) is read, every line checked, and the changes it
// would make planned against a snapshot of what exists — all without I/O, so the dry run, the
// apply (src/auth/bulk.ts writes the plan in one batch) and the unit tests share one truth.
//
// Files come from Excel and WPS: UTF-8 with or without a byte order mark, CRLF, quoted fields
// holding commas or line breaks, trailing empty lines. The CSV itself is read by papaparse (a
// well-kept parser that runs in Workers and browsers alike); this module only maps its rows back
// to the file's line numbers (the header is line 1), which is what a person fixing the file needs.
//
// Field rules (a code's characters, a name's length, an address's form) are passed in by the
// caller: they are the very valibot schemas of PUT /api/v1/admin/units and /people
// (src/http/input.ts), so a bulk line is held to the same rules as a single PUT.
import Papa from 'papaparse';
import type { Localized } from './i18n';

export type BulkKind = 'units' | 'people';

/** One bad line: the file's line number, the column it concerns ('' for the whole line), why. */
export interface BulkProblem {
  line: number;
  field: string;
  code: string;
  message: Localized;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: Localized };
/** A field's rule: the value it reads (trimmed, lowercased…), or why it is refused. */
export type FieldRule = (text: string) => Checked<string>;

export type BulkAction = 'create' | 'update' | 'unchanged';

export interface BulkChange<T> {
  line: number;
  action: BulkAction;
  /** The unit's code or the person's address. */
  key: string;
  before: T | null;
  after: T;
}

export interface BulkPlan<T> {
  changes: BulkChange<T>[];
  errors: BulkProblem[];
}

const problem = (line: number, field: string, code: string, zh: string, en: string): BulkProblem => ({ line, field, code, message: { zh, en } });

// ——— Reading the file ———

/**
 * The file's text, when its bytes are UTF-8 (a byte order mark is dropped); undefined otherwise —
 * typically GBK, as Excel saves "CSV" on a Chinese Windows unless told "CSV UTF-8".
 */
export function decodeUtf8(bytes: ArrayBuffer | Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The columns of a kind of file and the header names each may be written as (lowercased). */
export const BULK_COLUMNS = {
  units: {
    code: ['code', '单位代码', '代码'],
    name: ['name', '单位名称', '名称'],
    parent: ['parent', '上级单位', '上级单位代码', '上级'],
  },
  people: {
    email: ['email', '邮箱', '电子邮箱', '电子邮件'],
    name: ['name', '姓名'],
    role: ['role', '角色'],
    units: ['units', 'unit', '所属单位', '单位'],
  },
} as const;

type Columns<K extends BulkKind> = keyof (typeof BULK_COLUMNS)[K] & string;

export interface CsvRow<C extends string> {
  line: number;
  values: Record<C, string>;
}

/**
 * The rows of the file as column → text (trimmed), each with the line it starts on. Lines with
 * nothing in them (trailing empty lines, rows of empty cells) are skipped. Problems of the file
 * as a whole (no header, a missing or unknown column) are reported on line 1.
 */
export function readRows<K extends BulkKind>(kind: K, text: string): { rows: CsvRow<Columns<K>>[]; errors: BulkProblem[] } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lineOf = lineCounter(body);
  const records: { line: number; fields: string[]; malformed: boolean }[] = [];
  let start = 0;
  // step: one call per record, with the offset just past it (the next record's start).
  Papa.parse<string[]>(body, {
    delimiter: ',',
    step: (result) => {
      records.push({ line: lineOf(start), fields: result.data, malformed: result.errors.length > 0 });
      start = result.meta.cursor;
    },
  });
  const errors: BulkProblem[] = [];
  const nonEmpty = records.filter((r) => r.fields.some((f) => f.trim() !== ''));
  const header = nonEmpty[0];
  const spec = BULK_COLUMNS[kind] as Record<Columns<K>, readonly string[]>;
  const wanted = Object.keys(spec) as Columns<K>[];
  if (!header) {
    errors.push(problem(1, '', 'missing_header', `第 1 行应为表头：${wanted.join(',')}`, `line 1 must be the header: ${wanted.join(',')}`));
    return { rows: [], errors };
  }
  const indexOf = new Map<Columns<K>, number>();
  header.fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (name === '') return; // Excel's trailing empty columns
    const column = wanted.find((c) => spec[c].includes(name));
    if (!column) errors.push(problem(1, raw.trim(), 'unknown_column', `未知的列“${raw.trim()}”，应为：${wanted.join(',')}`, `unknown column "${raw.trim()}"; the columns are: ${wanted.join(',')}`));
    else if (indexOf.has(column)) errors.push(problem(1, column, 'duplicate_column', `列“${column}”出现了两次`, `column "${column}" appears twice`));
    else indexOf.set(column, index);
  });
  for (const column of wanted) {
    if (!indexOf.has(column)) errors.push(problem(1, column, 'missing_column', `缺少列“${column}”（${spec[column][1]}）`, `the column "${column}" is missing`));
  }
  if (errors.length > 0) return { rows: [], errors };

  const known = new Set(indexOf.values());
  const rows: CsvRow<Columns<K>>[] = [];
  for (const record of nonEmpty.slice(1)) {
    if (record.malformed) {
      errors.push(problem(record.line, '', 'malformed_csv', '引号不成对，无法读取这一行', 'unbalanced quotes: this line cannot be read'));
      continue;
    }
    if (record.fields.some((f, i) => !known.has(i) && f.trim() !== '' && i >= header.fields.length)) {
      errors.push(problem(record.line, '', 'too_many_fields', `这一行的字段比表头多（含未加引号的逗号？）`, 'this line has more fields than the header (an unquoted comma?)'));
      continue;
    }
    const values = {} as Record<Columns<K>, string>;
    for (const [column, index] of indexOf) values[column] = (record.fields[index] ?? '').trim();
    rows.push({ line: record.line, values });
  }
  return { rows, errors };
}

/** offset → the line it is on (1-based), for offsets asked in increasing order; CRLF, LF or CR. */
function lineCounter(text: string) {
  let line = 1;
  let at = 0;
  return (offset: number) => {
    for (; at < offset && at < text.length; at++) {
      const ch = text.charCodeAt(at);
      if (ch === 10 || (ch === 13 && text.charCodeAt(at + 1) !== 10)) line++;
    }
    return line;
  };
}

/** Lines whose key appeared on an earlier line: an error on each repeat, naming the first. */
function repeats<C extends string>(rows: CsvRow<C>[], key: (row: CsvRow<C>) => string, field: string, errors: BulkProblem[]): Set<CsvRow<C>> {
  const first = new Map<string, number>();
  const repeated = new Set<CsvRow<C>>();
  for (const row of rows) {
    const k = key(row);
    if (k === '') continue;
    const earlier = first.get(k);
    if (earlier === undefined) first.set(k, row.line);
    else {
      repeated.add(row);
      errors.push(problem(row.line, field, 'duplicate', `“${k}”已在第 ${earlier} 行出现`, `"${k}" already appears on line ${earlier}`));
    }
  }
  return repeated;
}

function check(rule: FieldRule, text: string, line: number, field: string, errors: BulkProblem[]): string | undefined {
  const result = rule(text);
  if (result.ok) return result.value;
  errors.push({ line, field, code: 'invalid', message: result.message });
  return undefined;
}

/** What the administrator may change (src/auth/scope.ts, as data). */
export interface BulkScope {
  /** canManage(viewer, id). */
  manages: (unitId: number) => boolean;
  /** managesEverything(viewer): may create roots and administrators of everything. */
  everything: boolean;
}

const outOfScope = (line: number, field: string, zh: string, en: string) => problem(line, field, 'out_of_scope', zh, en);

// ——— Units ———

export interface UnitState {
  code: string;
  name: string;
  /** The parent's code; null for a root. */
  parent: string | null;
}

export interface ExistingUnit extends UnitState {
  id: number;
}

export interface UnitRules {
  code: FieldRule;
  name: FieldRule;
}

/**
 * The units the file creates or changes. A parent may be a unit of the file (on any line, before
 * or after) or one that exists; an empty parent makes a root. A cycle in the parent chain — within
 * the file or through existing units — is an error on each line of the cycle. Deactivation is not
 * a bulk matter: units absent from the file, and every unit's active state, are left alone.
 */
export function planUnits(text: string, existing: readonly ExistingUnit[], scope: BulkScope, rules: UnitRules): BulkPlan<UnitState> {
  const { rows, errors } = readRows('units', text);
  const byCode = new Map(existing.map((u) => [u.code, u]));
  const duplicates = repeats(rows, (r) => r.values.code, 'code', errors);

  // First every line on its own; then what needs the whole file (parents, cycles).
  const planned: { line: number; after: UnitState; current?: ExistingUnit }[] = [];
  for (const row of rows) {
    const { line, values } = row;
    const code = check(rules.code, values.code, line, 'code', errors);
    const name = check(rules.name, values.name, line, 'name', errors);
    const parent = values.parent === '' ? null : check(rules.code, values.parent, line, 'parent', errors);
    if (code === undefined || name === undefined || parent === undefined || duplicates.has(row)) continue;
    const current = byCode.get(code);
    if (current && !scope.manages(current.id)) {
      errors.push(outOfScope(line, 'code', `单位“${code}”不在您管理的范围内`, `unit "${code}" is outside the units you manage`));
      continue;
    }
    if (parent === code) {
      errors.push(problem(line, 'parent', 'parent_is_self', '上级单位不能是该单位自身', 'the parent must not be the unit itself'));
      continue;
    }
    planned.push({ line, after: { code, name, parent }, current });
  }
  const inFile = new Map(planned.map((p) => [p.after.code, p]));
  const placed: typeof planned = [];
  for (const p of planned) {
    const { line, after, current } = p;
    const parent = after.parent;
    if (parent !== null && !inFile.has(parent) && !byCode.has(parent)) {
      errors.push(problem(line, 'parent', 'unknown_parent', `没有代码为“${parent}”的上级单位（本文件和现有单位中都没有）`, `there is no unit with code "${parent}" (in this file or among existing units)`));
      continue;
    }
    // Placing a unit (a new one, or moving one) needs the parent in scope: an existing unit the
    // administrator manages, or a new unit of this file (whose own placement is checked on its line).
    if (!current || current.parent !== parent) {
      const parentUnit = parent === null ? undefined : byCode.get(parent);
      const allowed = parent === null ? scope.everything : parentUnit ? scope.manages(parentUnit.id) : true;
      if (!allowed) {
        errors.push(
          parent === null
            ? outOfScope(line, 'parent', '只有管理全部单位的管理员可以新建或设置顶级单位（上级单位为空）', 'only an administrator of every unit can create or make a root unit (empty parent)')
            : outOfScope(line, 'parent', `上级单位“${parent}”不在您管理的范围内`, `parent "${parent}" is outside the units you manage`),
        );
        continue;
      }
    }
    placed.push(p);
  }

  // The tree as it would be: existing parents, replaced by the file's.
  const parentOf = new Map<string, string | null>(existing.map((u) => [u.code, u.parent]));
  for (const p of placed) parentOf.set(p.after.code, p.after.parent);
  const inCycle = codesInCycles(parentOf);
  const changes: BulkChange<UnitState>[] = [];
  for (const { line, after, current } of placed) {
    if (inCycle.has(after.code)) {
      const cycle = cycleThrough(after.code, parentOf);
      errors.push(problem(line, 'parent', 'cycle', `上级单位形成循环：${cycle.join(' → ')}`, `the parents form a cycle: ${cycle.join(' → ')}`));
      continue;
    }
    const before = current ? { code: current.code, name: current.name, parent: current.parent } : null;
    const action: BulkAction = !before ? 'create' : before.name === after.name && before.parent === after.parent ? 'unchanged' : 'update';
    changes.push({ line, action, key: after.code, before, after });
  }
  return finish(changes, errors);
}

/** Every code that lies on a cycle of parent links. */
function codesInCycles(parentOf: Map<string, string | null>): Set<string> {
  const settled = new Set<string>();
  const cyclic = new Set<string>();
  for (const startCode of parentOf.keys()) {
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let code: string | null | undefined = startCode;
    while (code != null && !settled.has(code)) {
      const seenAt = onPath.get(code);
      if (seenAt !== undefined) {
        for (const c of path.slice(seenAt)) cyclic.add(c);
        break;
      }
      onPath.set(code, path.length);
      path.push(code);
      code = parentOf.get(code);
    }
    for (const c of path) settled.add(c);
  }
  return cyclic;
}

/** The cycle from `code` back to it, for the message: A → B → A. */
function cycleThrough(code: string, parentOf: Map<string, string | null>): string[] {
  const cycle = [code];
  for (let c = parentOf.get(code); c != null && c !== code; c = parentOf.get(c)) cycle.push(c);
  return [...cycle, code];
}

const finish = <T>(changes: BulkChange<T>[], errors: BulkProblem[]): BulkPlan<T> => ({
  changes: changes.sort((a, b) => a.line - b.line),
  errors: errors.sort((a, b) => a.line - b.line),
});

// ——— People ———

export type BulkRole = 'clerk' | 'supervisor' | 'admin';

export interface PersonState {
  email: string;
  name: string;
  role: BulkRole;
  /** Unit codes, sorted. */
  units: string[];
}

export interface ExistingPerson extends PersonState {
  /** The ids of the units of their memberships (for the scope). */
  unitIds: number[];
}

export interface PeopleRules {
  email: FieldRule;
  name: FieldRule;
}

const ROLE_NAMES: Record<string, BulkRole> = {
  clerk: 'clerk',
  supervisor: 'supervisor',
  admin: 'admin',
  填报人: 'clerk',
  审核人: 'supervisor',
  管理员: 'admin',
};

/** More than any real person has (as PUT /people allows). */
const MAX_UNITS = 100;

/**
 * The people the file creates or changes, as PUT /api/v1/admin/people would: their units (codes
 * separated by ";") must exist already and be the administrator's; clerks and supervisors need at
 * least one; someone who now belongs to units outside the administrator's scope is not theirs to
 * change. Absent people, and everyone's active state, are left alone.
 */
export function planPeople(
  text: string,
  existing: { units: readonly { id: number; code: string }[]; people: ReadonlyMap<string, ExistingPerson> },
  scope: BulkScope,
  rules: PeopleRules,
): BulkPlan<PersonState> {
  const { rows, errors } = readRows('people', text);
  const unitId = new Map(existing.units.map((u) => [u.code, u.id]));
  const duplicates = repeats(rows, (r) => r.values.email.toLowerCase(), 'email', errors);
  const changes: BulkChange<PersonState>[] = [];
  for (const row of rows) {
    const { line, values } = row;
    const before = errors.length;
    const email = check(rules.email, values.email, line, 'email', errors);
    const name = check(rules.name, values.name, line, 'name', errors);
    const role = ROLE_NAMES[values.role.toLowerCase()];
    if (!role) errors.push(problem(line, 'role', 'invalid', '角色应为 clerk（填报人）、supervisor（审核人）或 admin（管理员）', 'role must be clerk (填报人), supervisor (审核人) or admin (管理员)'));
    const codes = [...new Set(values.units.split(/[;；]/).map((c) => c.trim()).filter((c) => c !== ''))];
    if (codes.length > MAX_UNITS) errors.push(problem(line, 'units', 'too_many', `最多 ${MAX_UNITS} 个单位`, `at most ${MAX_UNITS} units`));
    for (const code of codes) {
      const id = unitId.get(code);
      if (id === undefined) errors.push(problem(line, 'units', 'unknown_unit', `没有代码为“${code}”的单位（须先创建单位）`, `there is no unit with code "${code}" (create units first)`));
      else if (!scope.manages(id)) errors.push(outOfScope(line, 'units', `单位“${code}”不在您管理的范围内`, `unit "${code}" is outside the units you manage`));
    }
    if (role && role !== 'admin' && codes.length === 0) errors.push(problem(line, 'units', 'units_required', '填报人和审核人至少需要一个单位', 'clerks and supervisors need at least one unit'));
    if (role === 'admin' && codes.length === 0 && !scope.everything) {
      errors.push(outOfScope(line, 'units', '只有管理全部单位的管理员可以添加管理全部单位的管理员（所属单位为空）', 'only an administrator of every unit can add an administrator of every unit (no units)'));
    }
    const current = email === undefined ? undefined : existing.people.get(email);
    // Someone with a unit outside the scope (or none: an administrator of everything) is someone else's.
    if (current && (current.unitIds.length === 0 ? current.role === 'admin' && !scope.everything : current.unitIds.some((id) => !scope.manages(id)))) {
      errors.push(outOfScope(line, 'email', '此人属于您管理范围以外的单位', 'this person belongs to units outside the ones you manage'));
    }
    if (errors.length > before || duplicates.has(row) || !email || !name || !role) continue;
    const after: PersonState = { email, name, role, units: codes.sort() };
    const was = current ? { email: current.email, name: current.name, role: current.role, units: [...current.units].sort() } : null;
    const same = was && was.name === after.name && was.role === after.role && was.units.join(';') === after.units.join(';');
    changes.push({ line, action: !was ? 'create' : same ? 'unchanged' : 'update', key: email, before: was, after });
  }
  return finish(changes, errors);
}
