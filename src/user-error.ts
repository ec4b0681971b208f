// A failure whose message is written for the member and safe to show as is. Lives outside the
// Discord layer so that pure feature cores can refuse with words of their own.
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
