/// A commune or ward (xã, phường, thị trấn): the place people live in and are warned about, whatever station the
/// warning came from.
public struct Area: Sendable, Hashable, Identifiable {
    /// The administrative kind, as Vietnamese writes it.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case commune = "xã"
        case ward = "phường"
        case townlet = "thị trấn"

        /// "commune", "ward", "township": how English names it after the name.
        public var english: String {
            switch self {
            case .commune: "commune"
            case .ward: "ward"
            case .townlet: "township"
            }
        }
    }

    /// The `valueName` of a CAP `geocode` carrying ``code``.
    public static let codeName = "VN-DVHC"

    /// The commune's zone on the flash-flood and landslide risk map (vùng nguy cơ lũ quét, sạt lở đất), which with
    /// the province's zone decides the risk level of Article 46 of Decision 18/2021/QĐ-TTg.
    public enum LandslideRisk: String, Sendable, Hashable, CaseIterable, Comparable {
        /// vùng nguy cơ thấp
        case low
        /// vùng nguy cơ trung bình
        case medium
        /// vùng nguy cơ cao
        case high
        /// vùng nguy cơ rất cao
        case veryHigh = "very_high"

        /// The map's words: "thấp", "trung bình", "cao", "rất cao".
        public var vietnamese: String {
            switch self {
            case .low: "thấp"
            case .medium: "trung bình"
            case .high: "cao"
            case .veryHigh: "rất cao"
            }
        }

        private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

        public static func < (lhs: LandslideRisk, rhs: LandslideRisk) -> Bool { lhs.order < rhs.order }
    }

    /// The catalogue id, e.g. `tra-lien`.
    public var id: String
    /// The name without its kind, with diacritics, e.g. `Trà Liên`.
    public var name: String
    public var kind: Kind
    /// The administrative unit code (mã đơn vị hành chính) of the General Statistics Office's list, where a source
    /// gives it: CAP's `geocode`, by which Vietnam's own systems find the commune.
    public var code: String?
    /// The units merged into it (the 2025 reorganisation), as their names were written: gauges, risk maps and older
    /// bulletins still use them.
    public var formerly: [String]
    /// The centre (WGS 84), where a source gives one.
    public var centre: Coordinate?
    /// Whether the centre (and boundary) are approximate.
    public var approximate: Bool
    /// The boundary, when known: a closed ring of (latitude, longitude) points, at least three.
    public var boundary: [Coordinate]?
    /// Its zone on the flash-flood and landslide risk map; nil where no source was found (the `landslide` rule then
    /// does not run for it).
    public var landslideRisk: LandslideRisk?

    public init(
        id: String, name: String, kind: Kind, code: String? = nil, formerly: [String] = [], centre: Coordinate? = nil,
        approximate: Bool = false, boundary: [Coordinate]? = nil, landslideRisk: LandslideRisk? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.code = code
        self.formerly = formerly
        self.centre = centre
        self.approximate = approximate
        self.boundary = boundary
        self.landslideRisk = landslideRisk
    }

    /// "xã Trà Liên", as bulletins name it.
    public var fullName: String { kind.rawValue + " " + name }
}

/// A point on the map, WGS 84 decimal degrees.
public struct Coordinate: Sendable, Hashable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}
