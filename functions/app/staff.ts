/** The staff groups; a member's group is their role. */
export const staffGroups = ['finance', 'reviewer'] as const;
export type StaffGroup = (typeof staffGroups)[number];

/** A person's role from their staff groups: finance may do what a reviewer may, so finance wins. */
export function staffRole(groups: readonly string[]): 'finance' | 'reviewer' | null {
  if (groups.includes('finance')) return 'finance';
  return groups.includes('reviewer') ? 'reviewer' : null;
}

/**
 * The staff, as finance manages them in the console: invite (the user pool emails the temporary
 * password), put in a group, disable and enable. Groups are the roles; a person is in one.
 */
export interface StaffMember {
  email: string;
  enabled: boolean;
  /** FORCE_CHANGE_PASSWORD until the person has chosen their own password. */
  status: string;
  group: StaffGroup | null;
}

export interface StaffDirectory {
  list(): Promise<StaffMember[]>;
  invite(email: string, group: StaffGroup, temporaryPassword: string): Promise<void>;
  setGroup(email: string, group: StaffGroup): Promise<void>;
  setEnabled(email: string, enabled: boolean): Promise<void>;
  isEnabled(email: string): Promise<boolean>;
  /**
   * Turns off the person's authenticator app (a lost or replaced phone): they sign in with their
   * password and, where a second factor is required, must set up a new app before anything else.
   */
  resetSecondFactor(email: string): Promise<void>;
  /** Whether the person may still sign in, their group now (null: none, or not found), and whether they sign in with an authenticator app. */
  standing(email: string): Promise<Standing>;
  /** First sign-in with a temporary password: the person chooses their own and is signed in. */
  completeNewPassword(email: string, temporaryPassword: string, newPassword: string): Promise<SessionTokens | null>;
}

export interface Standing {
  enabled: boolean;
  group: StaffGroup | null;
  /** A verified authenticator app (TOTP) is asked for at each sign-in. */
  mfa: boolean;
}

export const noStanding: Standing = { enabled: false, group: null, mfa: false };

/**
 * A signed-in person's tokens: the ID token says who they are, the access token is their session at
 * the user pool; both live STAFF_TOKEN_MINUTES. The refresh token renews them for up to
 * STAFF_SESSION_HOURS (a working day), unless the person signs out or is disabled.
 */
export interface SessionTokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  expiresInSeconds: number;
}

export const STAFF_TOKEN_MINUTES = 15;
export const STAFF_SESSION_HOURS = 10;

/**
 * Who must sign in with a second factor (an authenticator app): finance always (payments, webhooks,
 * policy, staff); reviewers when the seller's policy says so. Until they have set one up they may
 * do nothing else.
 */
export const secondFactorRequired = (role: StaffGroup, policy: { mfaForReviewers: boolean }) => role === 'finance' || policy.mfaForReviewers;
