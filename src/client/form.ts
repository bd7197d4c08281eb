// The browser script of the clerk's report form: static/form.js, built by
// scripts/build-client.mjs. It carries the default template, gov-2021 (every report since
// 2021). A form in another template loads static/form-<template>.js instead (form-*.ts here),
// so a phone never downloads the rules of formats its report does not use.
import { gov2021 } from '../core/templates/gov-2021';
import { enhanceReportForm, reportForm } from './enhance';

const template = reportForm()?.dataset.template;
if (template === gov2021.id) {
  enhanceReportForm(gov2021);
} else if (template && /^[a-z0-9-]+$/.test(template)) {
  // No such bundle (a template without a form-<id>.ts): the plain form still works.
  const script = document.createElement('script');
  script.src = `/static/form-${template}.js`;
  document.head.append(script);
}
