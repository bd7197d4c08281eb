// A unit whose name a spreadsheet program would run as a formula (=HYPERLINK(…) sends whoever
// opens the file elsewhere): the public CSV shows it as text, with OWASP's leading single quote,
// while the figures stay numbers, negative ones too.
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { cellKeys, getTemplate } from '../../src/core';
import { adminPut, BASE, publishReport } from './report-helpers';

const NAME = '=HYPERLINK("http://x.example","y")';
const [first, second] = cellKeys(getTemplate('gov-2021')!);

const csv = async (path: string) => {
  const res = await exports.default.fetch(new Request(`${BASE}${path}`));
  expect(res.status).toBe(200);
  return (await res.text()).split('\r\n');
};

beforeAll(async () => {
  // Unit names may start with '=' (the API keeps accepting them); the CSV neutralises them.
  expect((await adminPut('/units/EVIL', { name: NAME })).status).toBe(201);
  await publishReport('EVIL', 2023, { [first!]: -3, [second!]: 7 });
});

describe('CSV formula injection', () => {
  it('/api/v1/reports.csv writes the unit name as text, not a formula; figures stay numbers', async () => {
    const lines = await csv('/api/v1/reports.csv?year=2023');
    const row = lines.find((line) => line.startsWith('EVIL,'))!;
    expect(row).toMatch(/^EVIL,"'=HYPERLINK\(""http:\/\/x\.example"",""y""\)",2023,/);
    expect(lines.join('\n')).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const header = lines[0]!.split(',');
    const cells = row.replace(/"[^"]*(""[^"]*)*"/g, 'NAME').split(',');
    expect(cells[header.indexOf(first!)]).toBe('-3');
    expect(cells[header.indexOf(second!)]).toBe('7');
  });

  it('the report’s own CSV keeps a negative figure a number', async () => {
    const lines = await csv('/api/v1/reports/EVIL/2023.csv');
    const [table, row, column] = first!.split('.');
    expect(lines.find((line) => line.startsWith(`${table},${row},${column},`))).toMatch(/,-3$/);
  });
});
