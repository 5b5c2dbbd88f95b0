/** An error caused by what the user gave us (bad file, bad flag, invalid resource): exit code 2, no stack. */
export class UserInputError extends Error {
  override readonly name = "UserInputError";
}
