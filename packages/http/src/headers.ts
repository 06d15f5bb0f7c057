/**
 * Makes the named header parameters optional in an openapi-typescript `paths` type, for headers
 * a client sets once in its factory (auth, app id). Other parameters keep their types.
 */
export type WithDefaultHeaders<Paths, Names extends string> = {
  [P in keyof Paths]: {
    [M in keyof Paths[P]]: Paths[P][M] extends { parameters: { header?: infer H } }
      ? Omit<Paths[P][M], "parameters"> & {
          parameters: Omit<Paths[P][M]["parameters"], "header"> & {
            header?: Omit<H, Names> & Partial<Pick<H, Extract<keyof H, Names>>>;
          };
        }
      : Paths[P][M];
  };
};
