// Which units a progress view covers: the viewer's scope, narrowed to ?within=CODE's subtree.
import type { Context } from 'hono';
import { unitSubtree } from '../../auth/directory';
import { managedScope } from '../../auth/scope';
import type { AppEnv } from '../../http/app-env';
import { ApiError } from '../../http/errors';

/** undefined = every unit (a whole-jurisdiction administrator without ?within=). */
export async function progressScope(c: Context<AppEnv>): Promise<Set<number> | undefined> {
  const viewer = c.get('viewer')!;
  const managed = viewer.isAdmin ? managedScope(viewer) : viewer.reviewUnitIds;
  let scope: Set<number> | undefined = managed === 'all' ? undefined : new Set(managed);
  const within = c.req.query('within');
  if (within) {
    const ids = await unitSubtree(c.get('db'), within);
    if (!ids) throw new ApiError(404, 'unknown_unit', `没有代码为“${within}”的单位。`, `There is no unit with code "${within}".`, [{ field: 'within', message: within }]);
    const subtree = new Set(ids);
    scope = scope ? new Set([...scope].filter((id) => subtree.has(id))) : subtree;
  }
  return scope;
}
