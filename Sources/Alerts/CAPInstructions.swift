/// What people should do, per hazard and official risk level: CAP `instruction`, in both languages.
///
/// The shipped texts are the advice every Vietnamese flood and landslide bulletin repeats (keep away from
/// fast water and unstable slopes, follow the local authorities, move people and goods to safety); they order no
/// evacuation, which is the authorities' decision. A centre replaces any of them in `alerts.cap.instructions`.
public struct CAPInstructions: Sendable, Hashable {
    /// A text in both languages.
    public struct Text: Sendable, Hashable {
        public var vi: String
        public var en: String

        public init(vi: String, en: String) {
            self.vi = vi
            self.en = en
        }
    }

    /// Per hazard: the text for any level, and texts for risk levels from which they apply (the highest level
    /// not above the notice's wins).
    private struct Entry: Sendable, Hashable {
        var any: Text
        var fromRiskLevel: [Int: Text]
    }

    private var storage: [Hazard: Entry]

    public init() {
        storage = Self.shipped.mapValues { Entry(any: $0.any, fromRiskLevel: $0.fromRiskLevel) }
    }

    /// Sets a hazard's text for every level (`riskLevel` nil), which also drops the shipped texts for higher risk
    /// levels (a centre's own text is not overridden by ours), or from a risk level up.
    public mutating func set(_ hazard: Hazard, riskLevel: Int?, _ text: Text) {
        var entry = storage[hazard] ?? Entry(any: text, fromRiskLevel: [:])
        if let riskLevel {
            entry.fromRiskLevel[riskLevel] = text
        } else {
            entry = Entry(any: text, fromRiskLevel: [:])
        }
        storage[hazard] = entry
    }

    /// The instruction for a hazard at an official risk level (nil when the notice states none); a Cancel gets
    /// ``allClear``.
    public func text(_ hazard: Hazard, riskLevel: Int?) -> Text? {
        guard let entry = storage[hazard] else { return nil }
        guard let riskLevel, let from = entry.fromRiskLevel.keys.filter({ $0 <= riskLevel }).max() else {
            return entry.any
        }
        return entry.fromRiskLevel[from]
    }

    /// A cancelled warning: the danger named is over, but the ground and rivers may not be.
    public static let allClear = Text(
        vi: "Cảnh báo đã kết thúc. Tiếp tục theo dõi thông tin của chính quyền địa phương; không quay lại vùng sạt lở,"
            + " vùng ngập khi chưa được phép.",
        en: "The warning has ended. Keep following the local authorities; do not go back to landslide or flooded"
            + " areas until they say it is safe.")

    private static let shipped: [Hazard: (any: Text, fromRiskLevel: [Int: Text])] = [
        .flood: (
            Text(
                vi: "Theo dõi mực nước và thông báo của chính quyền địa phương. Không đi qua ngầm, tràn, vùng ngập"
                    + " sâu, nước chảy xiết; kê cao, di chuyển tài sản lên nơi cao.",
                en: "Follow the water level and the local authorities. Do not cross fords, spillways, deep or fast"
                    + " water; move belongings to higher ground."),
            [
                3: Text(
                    vi: "Lũ nguy hiểm. Người dân vùng trũng, ven sông sẵn sàng sơ tán theo lệnh của chính quyền địa"
                        + " phương. Không đi qua ngầm, tràn, vùng ngập sâu, nước chảy xiết.",
                    en: "Dangerous flood. People in low-lying and riverside areas be ready to evacuate when the"
                        + " local authorities order it. Do not cross fords, spillways, deep or fast water.")
            ]
        ),
        .heavyRain: (
            Text(
                vi: "Mưa lớn có thể gây lũ quét, sạt lở đất, ngập úng. Theo dõi thông báo của chính quyền địa phương;"
                    + " hạn chế đi lại ở vùng đồi núi, ven sông suối.",
                en: "Heavy rain can bring flash floods, landslides and flooding. Follow the local authorities;"
                    + " avoid travel in the hills and along rivers and streams."),
            [:]
        ),
        .flashFloodLandslide: (
            Text(
                vi: "Người dân ở sườn dốc, ven sông suối, khu vực có nguy cơ sạt lở rời đến nơi an toàn. Chú ý dấu hiệu"
                    + " nứt đất, nước suối đục, tiếng động lạ; không qua ngầm, tràn, suối khi nước chảy xiết.",
                en: "People on steep slopes, along streams and in landslide-prone places move to safety. Watch for"
                    + " cracks in the ground, muddy streams and unusual sounds; do not cross fords or streams in"
                    + " fast water."),
            [:]
        ),
        .reservoirRelease: (
            Text(
                vi: "Người dân hạ du không ở lại bãi sông, không qua sông suối; di chuyển người, tài sản, gia súc lên"
                    + " nơi cao. Theo dõi thông báo vận hành hồ chứa.",
                en: "People downstream keep off the riverbanks and do not cross the river; move people, belongings"
                    + " and livestock to higher ground. Follow the reservoir's operating notices."),
            [:]
        ),
        .reservoirLevel: (
            Text(
                vi: "Hồ chứa gần đầy, có thể xả lũ. Người dân hạ du theo dõi thông báo vận hành hồ chứa và của chính"
                    + " quyền địa phương.",
                en: "The reservoir is nearly full and may release water. People downstream follow the reservoir's"
                    + " operating notices and the local authorities."),
            [:]
        ),
        .gaugeOutage: (
            Text(
                vi: "Kiểm tra đường truyền, nguồn điện và bộ ghi của trạm; dùng trạm lân cận hoặc quan trắc thủ công"
                    + " trong thời gian gián đoạn.",
                en: "Check the gauge's link, power and logger; use nearby gauges or manual readings while it is"
                    + " silent."),
            [:]
        ),
    ]
}
