import TestSupport

/// Runs the real `gauge-simulator` binary against a test broker with the bundled catalogue, to its end.
///
/// - Returns: its exit status (nil if it had to be killed after `timeoutSeconds`) and everything it printed.
func runGaugeSimulator(_ broker: TestBroker, _ arguments: [String], timeoutSeconds: Double = 60) throws -> (
    status: Int32?, output: String
) {
    let folder = try TestPaths.temporaryDirectory("simulator")
    let process = try ChildProcess(
        try TestPaths.executable("gauge-simulator"),
        ["--broker", "127.0.0.1:\(broker.port)", "--stations", TestPaths.catalogue] + arguments,
        outputPath: folder + "/simulator.log")
    let status = process.waitForExit(timeoutSeconds: timeoutSeconds)
    if status == nil { process.killHard() }
    return (status, process.output)
}
