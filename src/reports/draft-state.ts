// A report as its clerks edit it: what src/reports/store.ts loads and saves, and what a
// submission's review request (review-requests.ts) is computed from.
import type { Cells, Status, Template } from '../core';

export interface DraftState {
  reportId: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  year: number;
  template: Template;
  status: Status;
  /** 0 = nothing saved yet. */
  revision: number;
  /** Every section of the template ('' when not written). */
  sections: Record<string, string>;
  /** Every cell of the template (null when blank). */
  cells: Cells;
  /** Rule id → the clerk's explanation of that warning (only non-blank ones). */
  explanations: Record<string, string>;
  /** The supervisor's return comment: kept through later saves, cleared on submit. */
  comment: string | null;
  /** The cycle's deadline (ms), null if the year has no cycle. */
  deadline: number | null;
  /** Last year's published cells of the same unit, for the cross-year rules. */
  previous: Cells | null;
  submittedAt: number | null;
  /** Of the current revision; null at revision 0. */
  contentHash: string | null;
}

