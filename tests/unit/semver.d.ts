/** The two functions of `semver` (a dependency of npm's own tooling, present in node_modules) the engine test uses. */
declare module "semver" {
  const semver: {
    minVersion(range: string): { version: string } | null;
    satisfies(version: string, range: string): boolean;
  };
  export default semver;
}
