// Hooks that only some routes need (a request body's checks, Idempotency-Key on POST) are attached
// to those routes as they are registered, instead of running on every request: a GET route then
// has no preValidation or preHandler hook at all, and Fastify skips a phase with no hooks (a hook
// that returns at once still costs the phase's runner and its closures on every public request).
// The not-found handler answers any method and URL, so it gets all of them (app.ts passes all()
// to setNotFoundHandler), as it got them when they were global.
import type { FastifyInstance, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';

export const ROUTE_HOOK_PHASES = ['preValidation', 'preHandler', 'onSend'] as const;
type Phase = (typeof ROUTE_HOOK_PHASES)[number];
type Hook<P extends Phase> = Extract<NonNullable<RouteOptions[P]>, (...args: never[]) => unknown>;
export type RouteHookSet = { [P in Phase]?: Hook<P> };
export type RouteHookLists = { [P in Phase]: Hook<P>[] };

export interface RouteHooks {
  /**
   * Runs `hooks` on every route registered from now on that takes a method `applies` accepts,
   * ahead of the route's own hooks of the same phase (where a global hook ran).
   */
  add(applies: (method: string) => boolean, hooks: RouteHookSet): void;
  /** Every hook added, per phase, in the order added: the not-found handler's. */
  all(): RouteHookLists;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeHooks: RouteHooks;
  }
}

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export const routeHooksPlugin = fp(
  async (app: FastifyInstance) => {
    const sets: { applies: (method: string) => boolean; hooks: RouteHookSet }[] = [];
    app.decorate('routeHooks', {
      add(applies, hooks) {
        sets.push({ applies, hooks });
      },
      all() {
        const lists = { preValidation: [], preHandler: [], onSend: [] } as RouteHookLists;
        for (const { hooks } of sets) for (const phase of ROUTE_HOOK_PHASES) if (hooks[phase]) (lists[phase] as unknown[]).push(hooks[phase]);
        return lists;
      },
    } satisfies RouteHooks);
    app.addHook('onRoute', (route) => {
      const methods = asList(route.method).map((m) => String(m).toUpperCase());
      for (const phase of ROUTE_HOOK_PHASES) {
        const mine = sets.filter((s) => s.hooks[phase] && methods.some(s.applies)).map((s) => s.hooks[phase]);
        if (mine.length) (route as Record<Phase, unknown>)[phase] = [...mine, ...asList(route[phase] as unknown)];
      }
    });
  },
  { name: 'route-hooks' },
);
