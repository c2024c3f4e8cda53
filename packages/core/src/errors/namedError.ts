// The one way to declare an error: `class X extends namedError('X') {}`. The name is a string
// literal, not the class name, so it survives bundling and minification, and it is what Step
// Functions matches a Retry/Catch on (Lambda reports `Error.name` as the errorType).

export function namedError<const Name extends string>(name: Name) {
  return class extends Error {
    override readonly name: Name = name;
  };
}
