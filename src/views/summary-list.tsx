// Facts about one thing, each a term and its value: a <dl> with a <div> around each pair (the
// GOV.UK summary list), so the pairs can be styled as rows or cards. The account on the home
// page, what a clerk checks before submitting, what a supervisor decides on, progress counts.
import type { Child } from 'hono/jsx';

/** One fact: its term, its value, and a class for the value (e.g. on time or late). */
export type SummaryRow = readonly [term: Child, value: Child, valueClass?: string];

/** The rows in order; a fact that does not apply is null (or false) and is left out. */
export function SummaryList(props: { class: string; rows: readonly (SummaryRow | null | false)[] }) {
  return (
    <dl class={props.class}>
      {props.rows.map((row) =>
        row ? (
          <div>
            <dt>{row[0]}</dt>
            <dd class={row[2]}>{row[1]}</dd>
          </div>
        ) : null,
      )}
    </dl>
  );
}
