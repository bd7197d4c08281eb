// Vitest globalSetup for the browser project: one running app for all browser test files, and
// the browser unpacked once (and named in the log, so a run says which Chromium it used).
import type { TestProject } from 'vitest/node';
import { chooseChromium } from './browser';
import { startApp } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const [choice, app] = await Promise.all([chooseChromium(), startApp()]);
  console.log(`browser tests: Chromium from ${choice.source}, app at ${app.url}`);
  project.provide('baseUrl', app.url);
  return () => app.stop();
}
