// Small TypeBox building blocks shared by every module's schema file.
import { Type, type TSchema } from '@sinclair/typebox';

export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const IdParams = Type.Object({ id: Id });
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601, e.g. 2026-11-25T10:00:00.000Z' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const Lat = Type.Number({ minimum: -90, maximum: 90 });
export const Lon = Type.Number({ minimum: -180, maximum: 180 });
export const Email = Type.String({ format: 'email', maxLength: 254 });

/**
 * A free-form JSON value kept as the client sent it: at most 16 levels deep and 64 KB as JSON
 * (checked by the validator's `x-free-json` keyword, http/validation.ts), so it stays readable.
 */
export const FreeJson = <T extends TSchema>(t: T): T => ({ ...t, 'x-free-json': true }) as T;

export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
};

/** The query of a list that has no filters of its own. */
export const ListOnlyQuery = Type.Object({ ...ListQuery }, { additionalProperties: false });

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), next_cursor: Nullable(Type.String({ description: 'Pass as ?cursor= for the next page; null on the last page' })) });

export const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Array(Type.Object({ path: Type.Optional(Type.String()), message: Type.String() }, { additionalProperties: true }))),
    }),
  },
  { $id: 'Error' },
);

/** The documented error replies of a route: every one of these statuses answers the one `Error` body. */
const ErrorRef = Type.Ref(ErrorSchema);
export const errorReplies = <S extends number>(...statuses: S[]) => Object.fromEntries(statuses.map((status) => [status, ErrorRef])) as Record<S, typeof ErrorRef>;

/**
 * A reply without a body (`reply.code(204).send()`): documented as no content, typed as
 * undefined so the handler sends nothing rather than a JSON `null`.
 */
export const Empty = (description: string) => Type.Unsafe<undefined>({ type: 'null', description });
export const NoContent = Empty('No content');

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;

/** A file reply (a stream, never serialized): documented as binary in each of its content types. */
export const fileReply = (description: string, types: readonly string[]) => ({
  description,
  content: Object.fromEntries(types.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
});

/** JSON made before the reply (cached or large), sent as is: the route's schema documents it. */
export const readyJson = (json: string | Buffer) => json as never;
