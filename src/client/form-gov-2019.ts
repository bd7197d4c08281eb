// static/form-gov-2019.js: the report form in the 2019 format (reports of 2019 and 2020).
import { gov2019 } from '../core/templates/gov-2019';
import { enhanceReportForm } from './enhance';

enhanceReportForm(gov2019);
