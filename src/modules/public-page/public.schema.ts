// Request schemas of the public (no-auth) routes. Slugs are checked for shape in the service so
// that every malformed slug gets the very same 404 page as an unknown one.
import { Type } from '@sinclair/typebox';
import { Id } from '../../shared/schema.js';

const Slug = Type.String({ maxLength: 200 });
export const SlugParams = Type.Object({ slug: Slug });
export const PhotoParams = Type.Object({ slug: Slug, photoId: Id });
export const AssetParams = Type.Object({ file: Type.String({ maxLength: 40 }) });
export const BrandQuery = Type.Object({ c: Type.Optional(Type.String({ maxLength: 6 })) });
