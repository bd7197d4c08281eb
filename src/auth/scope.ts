// Roles and scope, as pure functions over who the viewer is (workflow.md "Who uses it"):
// a clerk fills in the reports of their own units, a supervisor reviews the units below their
// own, an administrator manages the units they administer and everything below them (or the
// whole jurisdiction: an administrator given no units, and the ADMIN_TOKEN script). Routes never check roles by hand: they use these
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
  /** The units an administrator administers (memberships with role 'admin'). */
  adminUnitIds: number[];
  /**
   * What an administrator manages: the administered units and every unit below them; null = the
   * whole jurisdiction (an administrator with no administered units, or the script token).
   * Empty for everyone else.
   */
  manageUnitIds: number[] | null;
  /** The session row (hash of the cookie), for logout. */
  sessionIdHash?: string;
}

export function can(viewer: Viewer | undefined, access: Access, unitId: number): boolean {
  if (!viewer) return false;
  if (viewer.isAdmin && canManage(viewer, unitId)) return true;
  const edits = viewer.clerkUnitIds.includes(unitId);
  const reviews = viewer.reviewUnitIds.includes(unitId);
  if (access === 'edit') return edits;
  if (access === 'review') return reviews;
  return edits || reviews || viewer.supervisorUnitIds.includes(unitId);
}

/** May this viewer administer the unit: change it, its people and its reports as an administrator? */
export function canManage(viewer: Viewer | undefined, unitId: number): boolean {
  if (!viewer?.isAdmin) return false;
  return viewer.manageUnitIds === null || viewer.manageUnitIds.includes(unitId);
}

/** An administrator of every unit (or the script token): what is jurisdiction-wide, such as cycles, is theirs. */
export const managesEverything = (viewer: Viewer | undefined): boolean => !!viewer?.isAdmin && viewer.manageUnitIds === null;

/** Everything when null; otherwise these unit ids. What lists an administrator sees are cut to. */
export const managedScope = (viewer: Viewer): 'all' | number[] => (viewer.manageUnitIds === null ? 'all' : viewer.manageUnitIds);

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
  adminUnitIds: [],
  manageUnitIds: null,
};
