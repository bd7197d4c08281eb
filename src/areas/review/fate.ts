// What became of a submission, for the review pages: read from the audit trail in src/reports.
export { fateOf, type Fate } from '../../reports/review-fate';
