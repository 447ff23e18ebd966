// Library faces sent to the Verify view from elsewhere in the app ("Verify face" on a person's page): the
// Verify view takes them into its empty slots when it opens.
export const verifyInbox = $state<{ faceIds: number[] }>({ faceIds: [] });

export function sendToVerify(faceId: number): void {
  verifyInbox.faceIds = [...verifyInbox.faceIds, faceId].slice(-2);
}

export function takeVerifyInbox(): number[] {
  const ids = verifyInbox.faceIds;
  verifyInbox.faceIds = [];
  return ids;
}
