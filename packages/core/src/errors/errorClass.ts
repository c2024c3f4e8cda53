// The one way to declare an error: `class X extends errorClass('X') {}`. The name is a string
// literal, not the class name, so it survives bundling and minification, and it is what Step
// Functions matches a Retry/Catch on (Lambda reports `Error.name` as the errorType).

export function errorClass<const Name extends string>(name: Name) {
  return class extends Error {
    override readonly name: Name = name;
  };
}
