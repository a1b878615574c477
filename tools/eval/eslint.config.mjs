import baseConfig from '../../eslint.config.mjs';

const BOUNDARIES = '@nx/enforce-module-boundaries';

// The evaluation report carries the benchmarks' machine line; tools/bench is a folder of scripts,
// not a project, so that one relative import is allowed out of this project.
export default baseConfig.map((entry) => {
  const rule = entry.rules?.[BOUNDARIES];
  if (!rule) return entry;
  const [level, options] = rule;
  const allow = [...options.allow, '../../bench/report'];
  return { ...entry, rules: { ...entry.rules, [BOUNDARIES]: [level, { ...options, allow }] } };
});
