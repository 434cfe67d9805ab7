/** Every failure this package reports on purpose carries one of these codes. */
export type GeneratorErrorCode =
  | "CORRUPT_MODEL" // not an ONNX file, truncated or otherwise undecodable
  | "CONTRACT_MISMATCH" // a valid ONNX file that is not the generator/critic the caller needs
  | "SHA256_MISMATCH" // stored bytes differ from the registered digest
  | "NOT_ENOUGH_CANDIDATES" // fewer reference candidates than shots
  | "INVALID_ARGUMENT"
  | "INVALID_IMAGE" // reference bytes that sharp cannot decode, or a box outside the image
  | "NO_CRITIC"; // scoring asked of a model version registered without a critic

export class GeneratorError extends Error {
  override readonly name = "GeneratorError";
  constructor(
    readonly code: GeneratorErrorCode,
    message: string,
    /** One line per problem, for errors that collect several (contract checks). */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

export function invalid(message: string): GeneratorError {
  return new GeneratorError("INVALID_ARGUMENT", message);
}
