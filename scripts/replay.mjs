// npm run replay -- FROM TO [--url URL]: the daily Cron Trigger fired for each day from FROM to
// TO (inclusive, YYYY-MM-DD, at 09:00 Beijing time as in production) against a running app in
// development (npm start), printing per day who got which mail. An administrator sees a whole
// January of a cycle before it happens; a developer sees what the reminder code does.
// Each day is one POST /dev/cron (src/areas/dev/cron.ts). The mail really is queued and
// "delivered" (to /dev/mail, in development), so a day replayed again sends nothing twice.
// Uses only Node's standard library.

const DAILY_CRON = '0 1 * * *'; // src/cron-schedules.ts: 01:00 UTC = 09:00 Asia/Shanghai
const DAY_MS = 86_400_000;
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** What each kind of message is, for the summary (src/reminders/messages.ts, src/mail/). */
const KIND_NAMES = {
  reminder: '截止提醒',
  overdue: '逾期通知',
  'late-units': '逾期单位名单',
  digest: '待审核汇总',
  'deadline-summary': '截止日汇总',
};

function usage(message) {
  if (message) console.error(`replay: ${message}\n`);
  console.error(
    [
      '用法 usage: npm run replay -- FROM TO [--url URL]',
      '  FROM, TO   日期 YYYY-MM-DD（含两端）, e.g. 2027-01-01 2027-02-01 (the January before the demo’s deadline)',
      '  --url URL  开发环境中运行的应用（默认 http://localhost:8787，先运行 npm start）',
      '',
      '逐日触发每日定时任务（北京时间 09:00），打印每天谁收到了哪封邮件。',
    ].join('\n'),
  );
  process.exit(2);
}

function parseArgs(argv) {
  const dates = [];
  let url = process.env.NIANBAO_URL || 'http://localhost:8787';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--url') url = argv[++i] ?? usage('--url needs a value');
    else if (arg.startsWith('--url=')) url = arg.slice('--url='.length);
    else if (arg === '-h' || arg === '--help') usage();
    else dates.push(arg);
  }
  if (dates.length !== 2) usage('需要起止两个日期 (FROM and TO)');
  const [from, to] = dates.map((d) => {
    const ms = /^\d{4}-\d{2}-\d{2}$/.test(d) ? Date.parse(`${d}T00:00:00Z`) : NaN;
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== d) usage(`不是有效的日期 (not a date): ${d}`);
    return ms;
  });
  if (to < from) usage('TO 不能早于 FROM (TO is before FROM)');
  if ((to - from) / DAY_MS > 366) usage('最多一年 (at most a year at a time)');
  return { from, to, url: url.replace(/\/+$/, '') };
}

async function fireDay(url, date) {
  const query = new URLSearchParams({ cron: DAILY_CRON, time: `${date}T09:00:00+08:00` });
  let res;
  try {
    // A JSON content type: the app refuses form-like posts without its own Origin (CSRF).
    res = await fetch(`${url}/dev/cron?${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
  } catch (error) {
    console.error(`replay: 无法连接 ${url}（${error.cause?.code ?? error.message}）。请先运行 npm start，或用 --url 指定地址。`);
    process.exit(1);
  }
  if (res.status === 404) {
    console.error(`replay: ${url}/dev/cron 不存在：应用须在开发环境运行（ENVIRONMENT=development，npm start 即是）。`);
    process.exit(1);
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const details = body?.error?.details?.map((d) => d.message).join('; ') ?? '';
    console.error(`replay: ${date}: HTTP ${res.status} ${body?.error?.message ?? ''} ${details}`);
    process.exit(1);
  }
  return body;
}

const { from, to, url } = parseArgs(process.argv.slice(2));
const totals = new Map();
const recipients = new Set();
let quietDays = 0;
/** Days without mail are printed as one line per run of them, not one line each. */
let quietRun = [];
const flushQuiet = () => {
  if (quietRun.length === 1) console.log(`${quietRun[0]} 无邮件`);
  else if (quietRun.length > 1) console.log(`${quietRun[0]} 至 ${quietRun.at(-1)} 无邮件（${quietRun.length} 天）`);
  quietRun = [];
};
console.log(`每日定时任务回放 ${url}：${new Date(from).toISOString().slice(0, 10)} 至 ${new Date(to).toISOString().slice(0, 10)}，每天北京时间 09:00\n`);
for (let t = from; t <= to; t += DAY_MS) {
  const date = new Date(t).toISOString().slice(0, 10);
  const run = await fireDay(url, date);
  const heading = `${date}（周${WEEKDAYS[new Date(t).getUTCDay()]}）`;
  if (run.queued.length === 0) {
    quietRun.push(heading);
    quietDays++;
    continue;
  }
  flushQuiet();
  console.log(`${heading} ${run.queued.length} 封：`);
  const width = Math.max(...run.queued.map((m) => m.to.length));
  for (const mail of run.queued) {
    console.log(`  ${mail.to.padEnd(width)}  ${(KIND_NAMES[mail.kind] ?? mail.kind).padEnd(6, '　')}  ${mail.subject}`);
    totals.set(mail.kind, (totals.get(mail.kind) ?? 0) + 1);
    recipients.add(mail.to);
  }
  const { sent, retrying, failed } = run.delivered;
  if (retrying + failed > 0) console.log(`  （投递：成功 ${sent}，待重试 ${retrying}，失败 ${failed}）`);
}
flushQuiet();
const total = [...totals.values()].reduce((a, b) => a + b, 0);
const byKind = [...totals].map(([kind, n]) => `${KIND_NAMES[kind] ?? kind} ${n}`).join('，');
console.log(`\n合计 ${total} 封，收件人 ${recipients.size} 位${byKind ? `（${byKind}）` : ''}；${quietDays} 天无邮件。`);
if (total === 0) console.log('（同一天的同一封邮件只发一次：回放过的日子再回放不会重复发送。）');
console.log(`邮件内容见 ${url}/dev/mail`);
