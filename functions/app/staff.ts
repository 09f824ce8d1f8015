/** A person's role from their staff groups: finance may do what a reviewer may, so finance wins. */
export function staffRole(groups: readonly string[]): 'finance' | 'reviewer' | null {
  if (groups.includes('finance')) return 'finance';
  return groups.includes('reviewer') ? 'reviewer' : null;
}
