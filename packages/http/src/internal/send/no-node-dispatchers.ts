// What `#node-dispatchers` is outside Node (package.json `imports`): nothing to remember.
export function rememberNodeDispatchers(): void {}
export const dispatchersAreNodes = (): boolean => false;
