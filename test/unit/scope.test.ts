// Who may do what to which unit: the pure rules every route's middleware applies.
import { describe, expect, it } from 'vitest';
import { can, canManage, managedScope, TOKEN_VIEWER, type Viewer } from '../../src/auth/scope';

const viewer = (over: Partial<Viewer>): Viewer => ({
  personId: 1,
  email: 'x@example.gov.cn',
  name: 'x',
  role: 'clerk',
  actor: 'x@example.gov.cn',
  isAdmin: false,
  clerkUnitIds: [],
  supervisorUnitIds: [],
  reviewUnitIds: [],
  adminUnitIds: [],
  manageUnitIds: [],
  ...over,
});

// County 1 → towns 2 and 3 → village 4 under town 2.
const clerkOf2 = viewer({ clerkUnitIds: [2] });
const supervisorOf1 = viewer({ role: 'supervisor', supervisorUnitIds: [1], reviewUnitIds: [2, 3, 4] });
const admin = viewer({ role: 'admin', isAdmin: true, manageUnitIds: null });
// An administrator of town 2 manages 2 and the village below it, nothing else.
const adminOf2 = viewer({ role: 'admin', isAdmin: true, adminUnitIds: [2], manageUnitIds: [2, 4] });

describe('scope', () => {
  it('a clerk edits and views only their own unit, and reviews nothing', () => {
    expect([can(clerkOf2, 'edit', 2), can(clerkOf2, 'view', 2), can(clerkOf2, 'review', 2)]).toEqual([true, true, false]);
    for (const other of [1, 3, 4]) expect([can(clerkOf2, 'edit', other), can(clerkOf2, 'view', other)]).toEqual([false, false]);
  });

  it('a supervisor reviews the units below their own, never edits them, and never reviews their own unit', () => {
    for (const below of [2, 3, 4]) {
      expect([can(supervisorOf1, 'review', below), can(supervisorOf1, 'view', below), can(supervisorOf1, 'edit', below)]).toEqual([true, true, false]);
    }
    expect(can(supervisorOf1, 'review', 1)).toBe(false);
    expect(can(supervisorOf1, 'view', 1)).toBe(true);
    expect(can(supervisorOf1, 'view', 99)).toBe(false);
  });

  it('an administrator of a unit manages it and what is below it, and nothing beside or above it', () => {
    for (const access of ['view', 'edit', 'review'] as const) {
      expect([2, 4].map((u) => can(adminOf2, access, u))).toEqual([true, true]);
      expect([1, 3, 99].map((u) => can(adminOf2, access, u))).toEqual([false, false, false]);
    }
    expect([1, 2, 3, 4].map((u) => canManage(adminOf2, u))).toEqual([false, true, false, true]);
    expect(managedScope(adminOf2)).toEqual([2, 4]);
    // Being a clerk or supervisor of a unit is no licence to administer it.
    expect(canManage(clerkOf2, 2)).toBe(false);
    expect(canManage(supervisorOf1, 2)).toBe(false);
  });

  it('an administrator and the admin token may do everything; nobody signed out may do anything', () => {
    expect([canManage(admin, 99), canManage(TOKEN_VIEWER, 99), canManage(undefined, 2)]).toEqual([true, true, false]);
    expect(managedScope(admin)).toBe('all');
    for (const access of ['view', 'edit', 'review'] as const) {
      expect(can(admin, access, 99)).toBe(true);
      expect(can(TOKEN_VIEWER, access, 99)).toBe(true);
      expect(can(undefined, access, 2)).toBe(false);
    }
  });
});
