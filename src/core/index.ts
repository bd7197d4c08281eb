// The functional core: pure, no I/O. The Worker and the browser import from here.
export * from './templates/index';
export * from './cells';
export * from './rules';
export * from './schedule';
export * from './workflow';
export * from './content';
export * from './numbers';
export * from './time';
export * from './i18n';
export * from './links';
export * from './key-totals';
export * from './timeliness';
export * from './cron-schedules';
export * from './titles';
