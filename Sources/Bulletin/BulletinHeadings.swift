/// The headings of a bulletin's sections, and what a section says when it has nothing, shared by the renderers.
enum BulletinHeadings {
    static let levels = Phrase(vi: "Mực nước", en: "Water levels")
    static let crests = Phrase(vi: "Đỉnh lũ", en: "Flood crests")
    static let rain = Phrase(vi: "Lượng mưa", en: "Rain")
    static let reservoirs = Phrase(vi: "Hồ chứa", en: "Reservoirs")
    static let warnings = Phrase(vi: "Cảnh báo đang có hiệu lực", en: "Active warnings")
    static let riskLevels = Phrase(vi: "Cấp độ rủi ro thiên tai", en: "Natural disaster risk levels")
    static let outlook = Phrase(vi: "Xu thế (ước tính theo xu thế)", en: "What is expected (trend estimates)")

    static let noStations = Phrase(vi: "Không có trạm nào.", en: "No station.")
    static let noCrests = Phrase(vi: "Chưa có đỉnh lũ nào trong 24 giờ qua.", en: "No crest in the last 24 hours.")
    static let noWarnings = Phrase(vi: "Không có cảnh báo nào đang có hiệu lực.", en: "No warning is active.")
    static let noRiskLevels = Phrase(
        vi: "Không có cảnh báo nào nêu cấp độ rủi ro thiên tai.", en: "No active warning states a risk level.")
    static let noOutlook = Phrase(
        vi: "Không có trạm nào có xu thế đạt mức báo động tiếp theo trong vài giờ tới.",
        en: "No station's trend reaches its next alarm level within the next few hours.")
}
