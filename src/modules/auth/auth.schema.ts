// Request and response shapes for API keys, users, sessions and sign-in.
import { Type } from '@sinclair/typebox';
import { Email, Nullable, Page } from '../../shared/schema.js';

export const RoleSchema = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('dispatcher'), Type.Literal('viewer')]);
export const ApiKeyCreate = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), role: Type.Optional(RoleSchema) },
  { additionalProperties: false },
);
export const Password = Type.String({ minLength: 10, maxLength: 200 });
export const UserCreate = Type.Object(
  { email: Email, name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), role: RoleSchema, password: Type.Optional(Password) },
  { additionalProperties: false },
);
export const UserPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    role: Type.Optional(RoleSchema),
    password: Type.Optional(Password),
    disabled: Type.Optional(Type.Boolean()),
    current_password: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Your current password, required with `password` to change your own (an owner setting another user’s needs none); only sent with `password`' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const LoginInput = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    org_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Only when the email has accounts in several organizations (a 409 lists them)' })),
  },
  { additionalProperties: false },
);

const Iso = Type.String({ format: 'date-time' });

export const ApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to tell keys apart' }),
  role: RoleSchema,
  created_by: Nullable(Type.String()),
  created_by_user_id: Nullable(Type.String()),
  created_at: Iso,
  last_used_at: Nullable(Iso),
  revoked_at: Nullable(Iso),
});
export const ApiKeysPage = Page(ApiKeySchema);

export const UserSchema = Type.Object({ id: Type.String(), email: Type.String(), name: Type.String(), role: RoleSchema, created_at: Iso, disabled: Type.Boolean() });
export const UsersPage = Page(UserSchema);

export const SessionSchema = Type.Object({
  id: Type.String({ description: 'The first 16 characters of the session id' }),
  created_at: Iso,
  expires_at: Iso,
  last_seen_at: Iso,
});
export const SessionsPage = Page(SessionSchema);

/** An API key as created or rotated: the secret, shown this once. */
export const ApiKeyCreated = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  role: RoleSchema,
  api_key: Type.String({ description: 'Shown once: send as Authorization: Bearer <api_key>' }),
  created_at: Iso,
});

export const UserCreated = Type.Object({
  ...UserSchema.properties,
  password: Type.Optional(Type.String({ description: 'Shown once, when the server chose the password' })),
});

export const LoginReply = Type.Object({
  user: UserSchema,
  csrf_token: Type.String({ description: 'Send as X-CSRF-Token with every write made with the session cookie' }),
  expires_at: Iso,
});

export const ActorSchema = Type.Object({
  type: Type.Union([Type.Literal('user'), Type.Literal('api_key'), Type.Literal('cli'), Type.Literal('system')]),
  id: Nullable(Type.String()),
  label: Type.String(),
  role: RoleSchema,
});

export const AuditEntrySchema = Type.Object({
  id: Type.String(),
  action: Type.String(),
  actor: Type.Object({ type: Type.String(), id: Nullable(Type.String()), label: Nullable(Type.String()) }),
  target: Type.Object({ type: Type.String(), id: Nullable(Type.String()) }),
  data: Type.Object({}, { additionalProperties: true }),
  created_at: Iso,
});
export const AuditPage = Page(AuditEntrySchema);

