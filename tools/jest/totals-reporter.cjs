// Prints the totals line CI looks for: "N passed, N failed".
// Suites that fail to load count as failed tests, so a broken file can never pass silently.
class TotalsReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed\n`);
  }
}

module.exports = TotalsReporter;
