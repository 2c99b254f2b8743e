/**
 * The permission interfaces are written out (readable in editors' hovers), so they could drift from the
 * code tables they restate. These assertions are checked by the compiler (`npm run typecheck`): adding a
 * media kind, admin right or field to a table without its interface fails to compile here.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ADMIN_CODES,
  AdminType,
  CanReceivePermission,
  MEDIA_CODES,
  MediaPermissions,
  MediaType,
  MinifiedPermissions,
  PERMISSION_FIELDS,
  PermissionField,
  Permissions,
  RECEIVE_CODES,
} from '../src/index.js';

type Codes<T> = T[keyof T];

describe('the permission interfaces match the code tables', () => {
  it('full names', () => {
    expectTypeOf<keyof MediaPermissions>().toEqualTypeOf<MediaType>();
    expectTypeOf<keyof CanReceivePermission>().toEqualTypeOf<keyof typeof RECEIVE_CODES>();
    expectTypeOf<keyof Permissions>().toEqualTypeOf<PermissionField>();
    expectTypeOf<Exclude<Permissions['canAdmin'], boolean | undefined>>().toEqualTypeOf<AdminType[]>();
    expectTypeOf<AdminType>().toEqualTypeOf<keyof typeof ADMIN_CODES>();
  });

  it('minified names', () => {
    type Base = Exclude<NonNullable<MinifiedPermissions['cr']>['b'], boolean | undefined>;
    expectTypeOf<keyof Base>().toEqualTypeOf<Codes<typeof MEDIA_CODES>>();
    expectTypeOf<keyof NonNullable<MinifiedPermissions['cr']>>().toEqualTypeOf<Codes<typeof RECEIVE_CODES>>();
    expectTypeOf<keyof MinifiedPermissions>().toEqualTypeOf<
      { [F in PermissionField]: (typeof PERMISSION_FIELDS)[F]['claim'] }[PermissionField]
    >();
  });
});
