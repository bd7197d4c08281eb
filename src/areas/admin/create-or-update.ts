// What PUT /units/{code} and PUT /people/{email} have in common: the administrator names the
// record in the path and sends the rest; it is created when new (201) and otherwise updated, or
// left as it was (200), and the answer holds the record as it now is, under its kind's name.
import type { Context } from 'hono';
import * as v from 'valibot';
import type { AppEnv } from '../../http/app-env';
import { route, type ParamsSchema } from '../../http/route';

export function createOrUpdateRoute<P extends ParamsSchema, B extends v.GenericSchema, K extends string>(spec: {
  path: string;
  summary: string;
  params: P;
  body: B;
  /** The answer: `{ [kind]: the record }`. */
  kind: K;
  answer: v.GenericSchema;
  put: (c: Context<AppEnv>, input: v.InferOutput<P> & v.InferOutput<B>) => Promise<{ created: boolean } & Record<K, unknown>>;
}) {
  return route({
    method: 'put',
    path: spec.path,
    summary: spec.summary,
    access: 'admin',
    params: spec.params,
    badPath: 'invalid_input',
    body: spec.body,
    answer: { status: [200, 201], schema: spec.answer, description: '201 新建，200 修改或未变 · 201 created, 200 updated or unchanged' },
    handle: async (c, { params, body }) => {
      const result = await spec.put(c, Object.assign({}, params, body));
      return c.json({ [spec.kind]: result[spec.kind] }, result.created ? 201 : 200);
    },
  });
}
