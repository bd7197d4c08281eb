// Roles and scope, as pure functions over who the viewer is (workflow.md "Who uses it"):
// a clerk fills in the reports of their own units, a supervisor reviews the units below their
// own, an administrator sees everything. Routes never check roles by hand: they use these
// through the middleware in ./middleware.ts.

export type Role = 'clerk' | 'supervisor' | 'admin';
export type Access = 'view' | 'edit' | 'review';

export interface Viewer {
  /** Null for the ADMIN_TOKEN bearer (a script, not a person). */
  personId: number | null;
  email: string | null;
  name: string;
  role: Role;
  /** How the audit trail names the actor. */
  actor: string;
  isAdmin: boolean;
  /** Units this person fills in reports for. */
  clerkUnitIds: number[];
  /** Units this person is a supervisor of (the parent units). */
  supervisorUnitIds: number[];
  /** Every unit below the supervised ones: the reports this person reviews. */
  reviewUnitIds: number[];
  /** The session row (hash of the cookie), for logout. */
  sessionIdHash?: string;
}

export function can(viewer: Viewer | undefined, access: Access, unitId: number): boolean {
  if (!viewer) return false;
  if (viewer.isAdmin) return true;
  const edits = viewer.clerkUnitIds.includes(unitId);
  const reviews = viewer.reviewUnitIds.includes(unitId);
  if (access === 'edit') return edits;
  if (access === 'review') return reviews;
  return edits || reviews || viewer.supervisorUnitIds.includes(unitId);
}

/** The script token: full administrative rights, audited as 'admin-token'. */
export const TOKEN_VIEWER: Viewer = {
  personId: null,
  email: null,
  name: 'ADMIN_TOKEN',
  role: 'admin',
  actor: 'admin-token',
  isAdmin: true,
  clerkUnitIds: [],
  supervisorUnitIds: [],
  reviewUnitIds: [],
};
