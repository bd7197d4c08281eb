// static/form-legacy-2014.js: the report form in the format used until 2018.
import { legacy2014 } from '../core/templates/legacy-2014';
import { enhanceReportForm } from './enhance';

enhanceReportForm(legacy2014);
