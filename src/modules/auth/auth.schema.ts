import { Type } from '@sinclair/typebox';
import { Email } from '../../shared/schema.js';

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
