// The public addresses of a report. Absolute ones take the origin (src/http/origin.ts): feeds,
// JSON and mail are read away from our pages.

/** Unit codes are [A-Za-z0-9_-] (units_code_format), safe in a path as they are. */
export const reportPath = (unit: string, year: number) => `/reports/${unit}/${year}`;

export interface ReportLinks {
  /** The public page. */
  url: string;
  json: string;
  csv: string;
}

/** Links to a report, or to one version of it. */
export function reportLinks(origin: string, unit: string, year: number, version?: number): ReportLinks {
  const query = version === undefined ? '' : `?version=${version}`;
  return {
    url: `${origin}${reportPath(unit, year)}${query}`,
    json: `${origin}/api/v1/reports/${unit}/${year}${query}`,
    csv: `${origin}/api/v1/reports/${unit}/${year}.csv${query}`,
  };
}
