/** TypeScript types for both vocabularies, derived from the registry (never retyped). */
import type { MinifiedPermissions, Permissions } from './permissions.js';
import type { RecordingOptions } from './recording.js';
import type { PropertyName, Registry } from './registry.js';

type ValueOfSpec<S> = S extends { kind: 'boolean' }
  ? boolean
  : S extends { kind: 'timestamp' | 'seconds' }
    ? number
    : S extends { kind: 'enum'; values: readonly (infer V)[]; legacyValues: infer L }
      ? V | keyof L
      : S extends { kind: 'enum'; values: readonly (infer V)[] }
        ? V
        : S extends { kind: 'permissions' }
          ? Permissions
          : S extends { kind: 'recording-options' }
            ? RecordingOptions
            : string;

type ClaimValueOfSpec<S> = S extends { kind: 'permissions' } ? MinifiedPermissions : ValueOfSpec<S>;

type ClaimKeyOf<K extends PropertyName> = Registry[K]['claim'] extends string ? Registry[K]['claim'] : K;

/** Meeting-token properties under their full names, as `POST /v1/meeting-tokens` and `GET` use them. */
export type MeetingTokenProperties = { [K in PropertyName]?: ValueOfSpec<Registry[K]> };

/** A JWT payload in Daily's abbreviated vocabulary (`r`, `d`, `o`, `p: { cs: "v,a" }` …). */
export type MeetingTokenClaims = { [K in PropertyName as ClaimKeyOf<K>]?: ClaimValueOfSpec<Registry[K]> };

type TimeName = { [K in PropertyName]: Registry[K]['kind'] extends 'timestamp' ? K : never }[PropertyName];

/** What `createMeetingToken` takes: full-name properties, with times as `Date`s or unix seconds. */
export type MeetingTokenInput = Omit<MeetingTokenProperties, TimeName> & { [K in TimeName]?: number | Date };
