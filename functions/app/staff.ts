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
  /** Whether the person may still sign in, and their group now (null: none, or not found). */
  standing(email: string): Promise<{ enabled: boolean; group: StaffGroup | null }>;
  /** First sign-in with a temporary password: the person chooses their own. */
  completeNewPassword(email: string, temporaryPassword: string, newPassword: string): Promise<string | null>;
}
