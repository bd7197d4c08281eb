// The pure part of bulk set-up from CSV: reading Excel's files back to their line numbers, and
// planning units and people against a snapshot, with every bad line named.
import { describe, expect, it } from 'vitest';
import { decodeUtf8, planPeople, planUnits, readRows, type BulkScope, type ExistingPerson, type FieldRule } from '../../src/core/bulk';

const code: FieldRule = (t) => (/^[A-Za-z0-9_-]{1,64}$/.test(t) ? { ok: true, value: t } : { ok: false, message: { zh: '代码无效', en: 'bad code' } });
const name: FieldRule = (t) => (t.trim() ? { ok: true, value: t.trim() } : { ok: false, message: { zh: '不能为空', en: 'must not be empty' } });
const email: FieldRule = (t) => (/^[^@\s]+@[^@\s]+$/.test(t.trim()) ? { ok: true, value: t.trim().toLowerCase() } : { ok: false, message: { zh: '邮箱无效', en: 'bad address' } });

const everything: BulkScope = { manages: () => true, everything: true };
// County R (1) → town Q (2) → village V (3); town P (4) beside Q. The scoped administrator has Q.
const existing = [
  { id: 1, code: 'R', name: '县', parent: null },
  { id: 2, code: 'Q', name: '镇', parent: 'R' },
  { id: 3, code: 'V', name: '村', parent: 'Q' },
  { id: 4, code: 'P', name: '另一镇', parent: 'R' },
];
const ofQ: BulkScope = { manages: (id) => id === 2 || id === 3, everything: false };
const units = (text: string, scope = everything) => planUnits(text, existing, scope, { code, name });
const errorsOf = (plan: { errors: { line: number; field: string; code: string }[] }) => plan.errors.map((e) => [e.line, e.field, e.code]);

describe('reading the file', () => {
  it('decodes UTF-8 with or without a BOM and refuses GBK', () => {
    const utf8 = new TextEncoder().encode('code,name\n');
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toBe('code,name\n');
    expect(decodeUtf8(utf8)).toBe('code,name\n');
    // 定海区 in GBK
    expect(decodeUtf8(new Uint8Array([0xb6, 0xa8, 0xba, 0xa3, 0xc7, 0xf8]))).toBeUndefined();
  });

  it('gives each row the line it starts on: CRLF, quoted commas and line breaks, blank lines, Chinese headers in any order', () => {
    const text = '\uFEFF上级单位,单位名称,单位代码\r\nR,"甲, 乙",A\r\n\r\n,"两\r\n行",B\r\nA,丙,C\r\n\r\n\r\n';
    const { rows, errors } = readRows('units', text);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 2, values: { parent: 'R', name: '甲, 乙', code: 'A' } },
      { line: 4, values: { parent: '', name: '两\r\n行', code: 'B' } },
      { line: 6, values: { parent: 'A', name: '丙', code: 'C' } },
    ]);
  });

  it('names a missing, unknown or repeated column on line 1', () => {
    expect(errorsOf(readRows('units', 'Code,Nmae\nA,b\n'))).toEqual([
      [1, 'Nmae', 'unknown_column'],
      [1, 'name', 'missing_column'],
      [1, 'parent', 'missing_column'],
    ]);
    expect(errorsOf(readRows('people', 'email,name,role,units,邮箱\n'))).toEqual([[1, 'email', 'duplicate_column']]);
  });

  it('refuses a line with an unbalanced quote or more fields than the header', () => {
    expect(errorsOf(readRows('units', 'code,name,parent\nA,a,,extra\nB,"b,\n'))).toEqual([
      [2, '', 'too_many_fields'],
      [3, '', 'malformed_csv'],
    ]);
  });
});

describe('planning units', () => {
  it('creates, updates and leaves alone; a parent may come later in the file', () => {
    const plan = units('code,name,parent\nA,甲,B\nB,乙,R\nQ,镇,R\nV,新村名,Q\nP,另一镇,Q\n');
    expect(plan.errors).toEqual([]);
    expect(plan.changes.map((c) => [c.line, c.action, c.key])).toEqual([
      [2, 'create', 'A'],
      [3, 'create', 'B'],
      [4, 'unchanged', 'Q'],
      [5, 'update', 'V'],
      [6, 'update', 'P'],
    ]);
    expect(plan.changes[3]!.before).toEqual({ code: 'V', name: '村', parent: 'Q' });
    expect(plan.changes[3]!.after).toEqual({ code: 'V', name: '新村名', parent: 'Q' });
  });

  it('names every bad line: bad code, empty name, unknown parent, self parent, duplicate code', () => {
    const plan = units('code,name,parent\nA B,甲,\nC,,R\nD,丁,NOPE\nE,戊,E\nF,己,R\nF,己二,R\n');
    expect(errorsOf(plan)).toEqual([
      [2, 'code', 'invalid'],
      [3, 'name', 'invalid'],
      [4, 'parent', 'unknown_parent'],
      [5, 'parent', 'parent_is_self'],
      [7, 'code', 'duplicate'],
    ]);
    expect(plan.errors.at(-1)!.message.zh).toBe('“F”已在第 6 行出现');
  });

  it('a cycle in the file, or through existing units, is an error on each line of it', () => {
    const inFile = units('code,name,parent\nA,甲,B\nB,乙,C\nC,丙,A\nD,丁,A\n');
    expect(errorsOf(inFile)).toEqual([
      [2, 'parent', 'cycle'],
      [3, 'parent', 'cycle'],
      [4, 'parent', 'cycle'],
    ]);
    expect(inFile.errors[0]!.message.zh).toBe('上级单位形成循环：A → B → C → A');
    // R moved under V, which is below R already.
    expect(errorsOf(units('code,name,parent\nR,县,V\n'))).toEqual([[2, 'parent', 'cycle']]);
  });

  it('keeps to the administrator’s scope', () => {
    const plan = units('code,name,parent\nV,村,Q\nN,新,V\nP,另一镇,R\nM,新根,\nQ,镇,P\nK,新2,N\n', ofQ);
    expect(errorsOf(plan)).toEqual([
      [4, 'code', 'out_of_scope'],
      [5, 'parent', 'out_of_scope'],
      [6, 'parent', 'out_of_scope'],
    ]);
    expect(plan.changes.map((c) => [c.key, c.action])).toEqual([
      ['V', 'unchanged'],
      ['N', 'create'],
      ['K', 'create'],
    ]);
  });
});

describe('planning people', () => {
  const people = new Map<string, ExistingPerson>([
    ['clerk@x.cn', { email: 'clerk@x.cn', name: '王芳', role: 'clerk', units: ['V'], unitIds: [3] }],
    ['other@x.cn', { email: 'other@x.cn', name: '别人', role: 'clerk', units: ['P'], unitIds: [4] }],
    ['boss@x.cn', { email: 'boss@x.cn', name: '总管', role: 'admin', units: [], unitIds: [] }],
  ]);
  const plan = (text: string, scope = everything) => planPeople(text, { units: existing, people }, scope, { email, name });

  it('reads roles in English or Chinese, units separated by semicolons, addresses lowercased', () => {
    const result = plan('邮箱,姓名,角色,所属单位\nNew@X.cn,新人,填报人,V; Q\nclerk@x.cn,王芳,clerk,V\nclerk2@x.cn,二,supervisor,Q\nclerk@X.CN,王芳,审核人,Q\n');
    expect(errorsOf(result)).toEqual([[5, 'email', 'duplicate']]);
    expect(result.changes.map((c) => [c.line, c.action, c.key, c.after.role, c.after.units.join(';')])).toEqual([
      [2, 'create', 'new@x.cn', 'clerk', 'Q;V'],
      [3, 'unchanged', 'clerk@x.cn', 'clerk', 'V'],
      [4, 'create', 'clerk2@x.cn', 'supervisor', 'Q'],
    ]);
  });

  it('names bad roles, unknown units, missing units and people or units outside the scope', () => {
    const result = plan('email,name,role,units\na@x.cn,甲,boss,V\nb@x.cn,乙,clerk,NOPE\nc@x.cn,丙,clerk,\nother@x.cn,别人,clerk,V\nd@x.cn,丁,clerk,P\ne@x.cn,戊,admin,\nboss@x.cn,总管,admin,Q\n', ofQ);
    expect(errorsOf(result)).toEqual([
      [2, 'role', 'invalid'],
      [3, 'units', 'unknown_unit'],
      [4, 'units', 'units_required'],
      [5, 'email', 'out_of_scope'],
      [6, 'units', 'out_of_scope'],
      [7, 'units', 'out_of_scope'],
      [8, 'email', 'out_of_scope'],
    ]);
    expect(result.changes).toEqual([]);
  });
});
