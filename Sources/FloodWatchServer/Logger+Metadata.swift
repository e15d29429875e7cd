import Logging

extension Logger {
    /// A copy with more metadata, e.g. `["service": "ingest"]` for every line of one service.
    public func with(metadata: Logger.Metadata) -> Logger {
        var copy = self
        for (key, value) in metadata { copy[metadataKey: key] = value }
        return copy
    }
}
