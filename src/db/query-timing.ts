// A Kysely plugin timing every query, for /metrics (services.ts plugs it into the store).
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

const QUERY_KINDS: Record<string, string> = {
  SelectQueryNode: 'select',
  InsertQueryNode: 'insert',
  UpdateQueryNode: 'update',
  DeleteQueryNode: 'delete',
  RawNode: 'raw',
};

/**
 * Times every query from compilation (just before it waits for a connection) to its result.
 * Failed queries never reach transformResult; their start times vanish with the WeakMap
 * (failures surface as 5xx in the HTTP series).
 */
export function queryTimingPlugin(observe: (op: string, seconds: number) => void): KyselyPlugin {
  const started = new WeakMap<object, { at: bigint; op: string }>();
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      started.set(args.queryId, { at: process.hrtime.bigint(), op: QUERY_KINDS[args.node.kind] ?? 'other' });
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const s = started.get(args.queryId);
      if (s) {
        started.delete(args.queryId);
        observe(s.op, Number(process.hrtime.bigint() - s.at) / 1e9);
      }
      return args.result;
    },
  };
}
