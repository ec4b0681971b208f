// What a member is told when a quiz button no longer matches the lecture it was posted from.
export const REMOVED_LECTURE =
  'This lecture is no longer available: it was removed or renamed since this message was posted. See /quiz list for what is available now.';
export const CHANGED_QUESTION =
  'This question has changed since it was posted, so this button no longer matches it. Run /quiz start again for the current version.';
