import Foundation

/// What a benchmark run works in: a temporary folder of its own and a mosquitto started in it from the shipped
/// configuration. `close()` stops the broker and removes the folder.
struct BenchWorkspace {
    let folder: String
    let broker: BenchBroker

    init(brokerConfig: String) throws {
        folder = NSTemporaryDirectory() + "floodwatch-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            broker = try BenchBroker(deployConfig: brokerConfig, folder: folder)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    func close() {
        broker.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
