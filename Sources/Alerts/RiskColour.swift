/// The official colour of each natural-disaster risk level, by name: Decision 18/2021/QĐ-TTg, Article 4, khoản 3
/// ("cấp 1 màu xanh dương nhạt là rủi ro thấp; cấp 2 màu vàng nhạt …; cấp 3 màu da cam …; cấp 4 màu đỏ …; cấp 5
/// màu tím …"). The Decision names colours and gives no RGB value (see
/// Sources/Catalogue/Resources/decision-18-2021/colours.yaml), so CAP carries the names.
public enum RiskColour {
    /// "da cam" / "orange" for level 3; nil outside 1–5.
    public static func name(level: Int) -> NoticeTitle? {
        switch level {
        case 1: NoticeTitle(vi: "xanh dương nhạt", en: "light blue")
        case 2: NoticeTitle(vi: "vàng nhạt", en: "light yellow")
        case 3: NoticeTitle(vi: "da cam", en: "orange")
        case 4: NoticeTitle(vi: "đỏ", en: "red")
        case 5: NoticeTitle(vi: "tím", en: "purple")
        default: nil
        }
    }
}
