// The top of a clerk's page about one report, editing or submitted: the way back to their work,
// the report's title as it will be published, its status and, while it is edited, the time left.
import { deadlineText, statusName } from '../../core';
import { translator, type Lang } from '../../core/i18n';
import { reportTitle } from '../../core/titles';
import type { DraftState } from '../../reports/draft-state';

export interface ReportHeadingProps {
  lang: Lang;
  state: DraftState;
  /** While the report is edited: the time left to the deadline is shown, as of this moment. */
  timeLeftAt?: number;
}

export function ReportHeading(props: ReportHeadingProps) {
  const { state } = props;
  const t = translator(props.lang);
  const deadline = state.deadline === null || props.timeLeftAt === undefined ? null : deadlineText(state.deadline, props.timeLeftAt);
  return (
    <>
      <p class="breadcrumb">
        <a href="/app">{t('工作台', 'My work')}</a>
      </p>
      <h1>{t(reportTitle(state.unitName, state.year))}</h1>
      <p class="meta">
        <span class={`tag tag-${state.status}`}>{t(statusName(state.status))}</span>
        {deadline ? <span class="deadline"> {t(deadline)}</span> : null}
      </p>
    </>
  );
}
