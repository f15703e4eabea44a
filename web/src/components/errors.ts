/** The message to show for a failed action. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
